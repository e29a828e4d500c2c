using System.Text;
using System.Text.Json.Nodes;
using Micromastery.Hub.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// One webhook delivery as its provider sends it: the body and the provider's headers, signed with
/// <see cref="Secret"/> over the body (or over <see cref="SignedBody"/> when the body was changed after signing).
/// </summary>
public sealed record WebhookDelivery(string Provider, string Body)
{
    /// <summary>Every provider with a <see cref="WebhookKit"/>.</summary>
    public static IReadOnlyList<string> Providers => [.. WebhookKit.All.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The secret the hub under test is configured with, per provider.</summary>
    public static string SecretOf(string provider) => WebhookKit.For(provider).Secret;

    /// <summary>A realistic event from the committed fixtures (a test payment, a successful workflow run, a booking, …).</summary>
    public static WebhookDelivery Realistic(string provider) => new(provider, WebhookKit.For(provider).RealisticBody());

    public WebhookKit Kit => WebhookKit.For(Provider);

    public string Secret { get; init; } = SecretOf(Provider);

    /// <summary>The text the signature covers; null means the body as sent.</summary>
    public string? SignedBody { get; init; }

    /// <summary>Bytes sent and signed instead of <see cref="Body"/>, for bodies that are not valid UTF-8 text.</summary>
    public byte[]? RawBody { get; init; }

    /// <summary>Stripe signs a timestamp with the body; a retry carries a new one.</summary>
    public DateTimeOffset SignedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Sent instead of the computed signature.</summary>
    public string? Signature { get; init; }

    /// <summary>Sends no signature header at all.</summary>
    public bool Unsigned { get; init; }

    /// <summary>GitHub's delivery GUID, the same on a redelivery; null leaves the header out.</summary>
    public string? GitHubDelivery { get; init; } = Guid.NewGuid().ToString();

    /// <summary>GitHub's event name; null leaves the header out.</summary>
    public string? GitHubEvent { get; init; } = "workflow_run";

    public string SignatureHeader => Kit.SignatureHeader;

    private string Timestamp => SignedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The correct hex HMAC of this delivery, over what the provider's scheme signs at <paramref name="timestamp"/>.</summary>
    private string Hex(string timestamp) => Kit.Hex(Secret, timestamp, RawBody ?? Encoding.UTF8.GetBytes(SignedBody ?? Body));

    /// <summary>The signature header value the provider would send.</summary>
    public string ComputedSignature => Kit.Header(Timestamp, Hex(Timestamp));

    /// <summary>
    /// Replaces <c>{t}</c> and <c>{hex}</c> in <paramref name="template"/> with this delivery's timestamp and
    /// correct HMAC; a Stripe template's own <c>t=</c> value is what its MAC signs.
    /// </summary>
    public string Fill(string template)
    {
        var filled = template.Replace("{t}", Timestamp, StringComparison.Ordinal);
        var given = System.Text.RegularExpressions.Regex.Match(filled, "(?:^|,)t=([^,]*)");
        return filled.Replace("{hex}", Hex(given.Success ? given.Groups[1].Value : Timestamp), StringComparison.Ordinal);
    }

    /// <summary>The same delivery with a field changed after it was signed (an amount, a repository, a booking).</summary>
    public WebhookDelivery Tampered() => this with { SignedBody = SignedBody ?? Body, Body = Kit.Tamper(Body) };

    /// <summary>The realistic event without what says which event it is (one of <see cref="WebhookKit.IdentityCases"/>).</summary>
    public WebhookDelivery WithoutIdentity(string missing) => Kit.WithoutIdentity(this, missing);

    /// <summary>The same event with a padding field, so the (re-signed) body is exactly <paramref name="bytes"/> long.</summary>
    public WebhookDelivery PaddedTo(int bytes)
    {
        var json = JsonNode.Parse(Body)!.AsObject();
        json["pad"] = "";
        var without = Encoding.UTF8.GetByteCount(json.ToJsonString());
        json["pad"] = new string('x', bytes - without);
        return this with { Body = json.ToJsonString(), SignedBody = null };
    }

    public (string Name, string Value)[] Headers()
    {
        var headers = new List<(string, string)>(Kit.OtherHeaders(this));
        if (!Unsigned)
        {
            headers.Add((SignatureHeader, Signature ?? ComputedSignature));
        }

        return [.. headers];
    }

    /// <summary>The bytes sent.</summary>
    public byte[] Bytes => RawBody ?? Encoding.UTF8.GetBytes(Body);

    /// <summary>What the hub's opening rules and <paramref name="source"/>'s verification decide about this delivery, without a host.</summary>
    internal WebhookCheck CheckedBy(IWebhookSource source)
    {
        var headers = new HeaderDictionary();
        foreach (var (name, value) in Headers())
        {
            headers[name] = value;
        }

        return WebhookOpening.Check(source, headers, new WebhookBody(Bytes));
    }

    public Task<HttpResponseMessage> PostAsync(HttpClient client)
    {
        if (RawBody is null)
        {
            return client.PostWebhookAsync(Provider, Body, Headers());
        }

        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{Provider}") { Content = new ByteArrayContent(RawBody) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in Headers())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }
}
