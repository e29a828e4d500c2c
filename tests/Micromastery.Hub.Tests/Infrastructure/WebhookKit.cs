using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// How a provider's deliveries are made in tests: its secret, realistic event, signature scheme, a field to tamper
/// with and the ways an event loses what says which event it is. One kit per provider that receives webhooks, beside
/// that provider's tests; the receiver rules run for every kit, and <c>ProviderModuleTests</c> holds that the kits and
/// the hub's registered webhook providers are the same set.
/// </summary>
public abstract class WebhookKit
{
    private static readonly Lazy<IReadOnlyDictionary<string, WebhookKit>> Kits = new(() =>
        typeof(WebhookKit).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(WebhookKit)) && !t.IsAbstract)
            .Select(t => (WebhookKit)Activator.CreateInstance(t)!)
            .ToDictionary(k => k.Provider, StringComparer.Ordinal));

    /// <summary>Every kit in the test assembly, by provider name.</summary>
    public static IReadOnlyDictionary<string, WebhookKit> All => Kits.Value;

    public static WebhookKit For(string provider) =>
        All.TryGetValue(provider, out var kit) ? kit : throw new ArgumentOutOfRangeException(nameof(provider), provider, "no webhook kit for this provider");

    /// <summary>The provider's name: its route is <c>/webhooks/{Provider}</c>.</summary>
    public abstract string Provider { get; }

    /// <summary>The configuration key of the webhook secret, e.g. <c>Stripe:WebhookSecret</c>.</summary>
    public abstract string SecretSetting { get; }

    /// <summary>The secret the test hubs are configured with.</summary>
    public abstract string Secret { get; }

    public abstract string SignatureHeader { get; }

    /// <summary>A realistic event from the committed fixtures.</summary>
    public abstract string RealisticBody();

    /// <summary>A signature in the provider's shape that is still wrong (another scheme or version); <c>{hex}</c> and <c>{t}</c> are filled.</summary>
    public abstract string MalformedSignature { get; }

    /// <summary>The names of the ways the realistic event can lose its identity (see <see cref="WithoutIdentity"/>).</summary>
    public abstract IReadOnlyList<string> IdentityCases { get; }

    /// <summary>The hub's source, without a host, with <paramref name="secret"/> configured.</summary>
    internal abstract IWebhookSource Source(string? secret);

    /// <summary>Changes the secret of a running hub, live (as a configuration reload would).</summary>
    public abstract void SetSecret(ServicesHub hub, string? secret);

    /// <summary>The same body with a field an attacker would want changed.</summary>
    public abstract string Tamper(string body);

    public abstract WebhookDelivery WithoutIdentity(WebhookDelivery delivery, string missing);

    /// <summary>The signature header's value around the hex MAC.</summary>
    public virtual string Header(string timestamp, string hex) => hex;

    /// <summary>What the MAC covers: the body, or (for a timestamped scheme) more.</summary>
    public virtual byte[] Signed(string timestamp, byte[] body) => body;

    /// <summary>Headers the provider sends besides the signature.</summary>
    public virtual IEnumerable<(string Name, string Value)> OtherHeaders(WebhookDelivery delivery) => [];

    /// <summary>Settings a hub needs to receive this provider's webhooks.</summary>
    public virtual IReadOnlyDictionary<string, string?> HubSettings => new Dictionary<string, string?> { [SecretSetting] = Secret };

    public string Hex(string secret, string timestamp, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Signed(timestamp, body)));

    protected static string Without(JsonObject json, string property)
    {
        Assert.True(json.Remove(property), $"the realistic event has no '{property}' to remove");
        return json.ToJsonString();
    }
}
