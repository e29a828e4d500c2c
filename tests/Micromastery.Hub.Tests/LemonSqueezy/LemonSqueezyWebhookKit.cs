using System.Text.Json.Nodes;
using Micromastery.Hub.LemonSqueezy;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;
using WireMock.Server;

namespace Micromastery.Hub.Tests.LemonSqueezy;

/// <summary>Lemon Squeezy deliveries: <c>X-Signature</c>, the bare hex MAC of the body; the event name also in <c>X-Event-Name</c>.</summary>
public sealed class LemonSqueezyWebhookKit : WebhookKit
{
    public const string TestSecret = "lemonsqueezy-signing-secret-for-tests";

    public override string Provider => LemonSqueezyWebhookSource.Name;

    public override string SecretSetting => "LemonSqueezy:WebhookSecret";

    public override string Secret => TestSecret;

    public override string SignatureHeader => "X-Signature";

    public override string RealisticBody() => Payloads.Text("lemonsqueezy", "order_created.json");

    public override string MalformedSignature => "sha256={hex}";

    public override IReadOnlyList<string> IdentityCases => ["no meta", "no data", "no event_name", "no data.id", "empty object"];

    public const string TestApiKey = "lemonsqueezy-test-api-key-not-a-real-one";

    /// <summary>The api.lemonsqueezy.com stand-in every services hub points at (stubs are reset by the tests that use it).</summary>
    public static WireMockServer Api => StandIn.Value;

    private static readonly Lazy<WireMockServer> StandIn = new(() => WireMockServer.Start());

    public override IReadOnlyDictionary<string, string?> HubSettings => new Dictionary<string, string?>
    {
        [SecretSetting] = Secret,
        ["LemonSqueezy:ApiKey"] = TestApiKey,
        ["LemonSqueezy:BaseUrl"] = Api.Url + "/",
    };

    internal override IWebhookSource Source(string? secret) => Sources.Of(secret);

    public override void SetSecret(ServicesHub hub, string? secret) => hub.SetSetting<LemonSqueezyOptions>(SecretSetting, secret);

    public override string Tamper(string body) => body.Replace("\"status\": \"paid\"", "\"status\": \"refunded\"", StringComparison.Ordinal);

    public override WebhookDelivery WithoutIdentity(WebhookDelivery delivery, string missing)
    {
        var json = JsonNode.Parse(delivery.Body)!.AsObject();
        return missing switch
        {
            "no meta" => delivery with { Body = Without(json, "meta") },
            "no data" => delivery with { Body = Without(json, "data") },
            "no event_name" => delivery with { Body = WithoutInside(json, "meta", "event_name") },
            "no data.id" => delivery with { Body = WithoutInside(json, "data", "id") },
            "empty object" => delivery with { Body = "{}" },
            _ => throw new ArgumentOutOfRangeException(nameof(missing), missing, "no such case"),
        };
    }

    // As Lemon Squeezy sends it; the hub reads the event name from the signed body, never from this header.
    public override IEnumerable<(string Name, string Value)> OtherHeaders(WebhookDelivery delivery) =>
        EventName(delivery.Body) is { } name ? [("X-Event-Name", name)] : [];

    private static string? EventName(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["meta"]?["event_name"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string WithoutInside(JsonObject json, string parent, string property)
    {
        Without(json[parent]!.AsObject(), property);
        return json.ToJsonString();
    }

    /// <summary>Host-less sources for the source tests.</summary>
    public static class Sources
    {
        internal static LemonSqueezyWebhookSource Of(string? secret = TestSecret) =>
            new(new FixedOptions<LemonSqueezyOptions>(new LemonSqueezyOptions { WebhookSecret = secret }));
    }
}
