using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Micromastery.Hub.Tests.Stripe;
using Micromastery.Hub.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// One webhook delivery as its provider sends it: the body and the provider's headers, signed with
/// <see cref="Secret"/> over the body (or over <see cref="SignedBody"/> when the body was changed after signing).
/// </summary>
public sealed record WebhookDelivery(string Provider, string Body)
{
    public static readonly string[] Providers = ["stripe", "github", "calcom"];

    private const string GitHubHookId = "292430182";

    /// <summary>The secret the hub under test is configured with, per provider.</summary>
    public static string SecretOf(string provider) => provider switch
    {
        "stripe" => HubFactory.StripeSecret,
        "github" => ServicesHub.GitHubSecret,
        "calcom" => ServicesHub.CalComSecret,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider"),
    };

    /// <summary>A realistic event from the committed fixtures: a test payment, a successful workflow run, a booking.</summary>
    public static WebhookDelivery Realistic(string provider) => provider switch
    {
        "stripe" => new(provider, StripeEvents.PaymentIntentSucceeded()),
        "github" => new(provider, Payloads.Text("github", "workflow_run.completed.json")),
        "calcom" => new(provider, Payloads.Text("calcom", "booking_created.json")),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider"),
    };

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

    public string SignatureHeader => Provider switch
    {
        "stripe" => "Stripe-Signature",
        "github" => "X-Hub-Signature-256",
        "calcom" => "X-Cal-Signature-256",
        _ => throw new InvalidOperationException($"unknown provider {Provider}"),
    };

    private string Timestamp => SignedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The correct hex HMAC of this delivery; for Stripe over "{<paramref name="timestamp"/>}.{body}".</summary>
    private string Hex(string timestamp)
    {
        var signed = RawBody ?? Encoding.UTF8.GetBytes(SignedBody ?? Body);
        var data = Provider == "stripe" ? [.. Encoding.UTF8.GetBytes(timestamp + "."), .. signed] : signed;
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), data));
    }

    /// <summary>The signature header value the provider would send.</summary>
    public string ComputedSignature => (Provider, RawBody) switch
    {
        ("stripe", null) => StripeEvents.Sign(SignedBody ?? Body, Secret, SignedAt),
        ("github", null) => TestSignatures.GitHub(SignedBody ?? Body, Secret),
        ("calcom", null) => TestSignatures.CalCom(SignedBody ?? Body, Secret),
        ("stripe", _) => $"t={Timestamp},v1={Hex(Timestamp)}",
        ("github", _) => "sha256=" + Hex(Timestamp),
        ("calcom", _) => Hex(Timestamp),
        _ => throw new InvalidOperationException($"unknown provider {Provider}"),
    };

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
    public WebhookDelivery Tampered()
    {
        var body = Provider switch
        {
            "stripe" => Body.Replace("\"amount_received\":1900", "\"amount_received\":1", StringComparison.Ordinal),
            "github" => Body.Replace("octo-org/octo-repo", "octo-org/evil-repo", StringComparison.Ordinal),
            "calcom" => Body.Replace("bFJeNb2uX8ANpT3JL5EfXw", "attackerChosenUid00000", StringComparison.Ordinal),
            _ => throw new InvalidOperationException($"unknown provider {Provider}"),
        };
        return this with { SignedBody = SignedBody ?? Body, Body = body };
    }

    /// <summary>
    /// The realistic event without what says which event it is (see <c>EventsWithoutIdentity</c>): Stripe's id or
    /// type, GitHub's X-GitHub-Delivery or X-GitHub-Event header, Cal.com's triggerEvent, createdAt or payload.
    /// </summary>
    public WebhookDelivery WithoutIdentity(string missing)
    {
        var json = JsonNode.Parse(Body)!.AsObject();
        return (Provider, missing) switch
        {
            ("stripe", "no id") => this with { Body = Without(json, "id") },
            ("stripe", "no type") => this with { Body = Without(json, "type") },
            ("github", "no X-GitHub-Delivery") => this with { GitHubDelivery = null },
            ("github", "no X-GitHub-Event") => this with { GitHubEvent = null },
            ("calcom", "no payload") => this with { Body = Without(json, "payload") },
            ("calcom", "no triggerEvent") => this with { Body = Without(json, "triggerEvent") },
            ("calcom", "no createdAt") => this with { Body = Without(json, "createdAt") },
            (_, "empty object") => this with { Body = "{}" },
            _ => throw new ArgumentOutOfRangeException(nameof(missing), missing, "no such case"),
        };
    }

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
        var headers = new List<(string, string)>();
        if (Provider == "github")
        {
            if (GitHubEvent is not null)
            {
                headers.Add(("X-GitHub-Event", GitHubEvent));
            }

            if (GitHubDelivery is not null)
            {
                headers.Add(("X-GitHub-Delivery", GitHubDelivery));
            }

            headers.Add(("X-GitHub-Hook-ID", GitHubHookId));
        }

        if (!Unsigned)
        {
            headers.Add((SignatureHeader, Signature ?? ComputedSignature));
        }

        return [.. headers];
    }

    /// <summary>The bytes sent.</summary>
    public byte[] Bytes => RawBody ?? Encoding.UTF8.GetBytes(Body);

    /// <summary>What the hub's opening rules and <paramref name="source"/>'s verification decide about this delivery, without a host.</summary>
    public WebhookCheck CheckedBy(IWebhookSource source)
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

    private static string Without(JsonObject json, string property)
    {
        Assert.True(json.Remove(property), $"the realistic event has no '{property}' to remove");
        return json.ToJsonString();
    }
}
