using System.Security.Cryptography;
using System.Text.Json;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.LemonSqueezy;

/// <summary>
/// Lemon Squeezy deliveries: <c>X-Signature</c> is the hex HMAC-SHA256 of the raw body with the webhook's signing
/// secret; the event is <c>meta.event_name</c> (also sent as <c>X-Event-Name</c>, which is not signed and not read).
/// Lemon Squeezy sends no delivery id, so a delivery is keyed on what it reports:
/// <c>{event_name}:{data.type}/{data.id}@{data.attributes.updated_at}</c>. A retry or a "resend" carries the same
/// resource at the same <c>updated_at</c> and is stored once; a later change to the order (a second, partial refund)
/// moves <c>updated_at</c> and is a new event. A resource without <c>updated_at</c> is keyed on the body's SHA-256.
/// </summary>
internal sealed class LemonSqueezyWebhookSource(IOptionsMonitor<LemonSqueezyOptions> options) : IWebhookSource
{
    public const string Name = "lemonsqueezy";

    public string Provider => Name;

    public string DisplayName => "Lemon Squeezy";

    public string SecretKey => $"{LemonSqueezyOptions.Section}:{nameof(LemonSqueezyOptions.WebhookSecret)}";

    public string? Secret => options.CurrentValue.WebhookSecret;

    public string SignatureHeader => "X-Signature";

    private readonly SecretBytes _key = new();

    public WebhookCheck Verify(string secret, string signature, IHeaderDictionary headers, WebhookBody body)
    {
        if (!HmacSignature.Matches(_key.Of(secret), body.Bytes, signature))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "invalid X-Signature (is the same signing secret set on the Lemon Squeezy webhook?)");
        }

        if (!TopLevelJson.IsObject(body.Bytes))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "body is not a JSON object");
        }

        var reader = new Utf8JsonReader(body.Bytes);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object && meta.Str("event_name") is { Length: > 0 } eventName
            && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.Str("type") is { Length: > 0 } type && data.Str("id") is { Length: > 0 } id)
        {
            var version = data.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object && attributes.Str("updated_at") is { Length: > 0 } updatedAt
                ? updatedAt
                : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body.Bytes));
            return new WebhookCheck.Accepted($"{eventName}:{type}/{id}@{version}", eventName);
        }

        return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "body is not a Lemon Squeezy event: expected 'meta.event_name' and a 'data' resource with 'type' and 'id'");
    }

    public InboxOutcome Map(StoredEvent stored)
    {
        using var document = JsonDocument.Parse(stored.Body);
        var root = document.RootElement;
        var data = root.GetProperty("data");
        var attributes = data.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        switch (stored.EventType)
        {
            case "order_created" when root.GetProperty("meta").Bool("test_mode") != true:
                return InboxOutcome.Ignored("live-mode order: the check counts test-mode orders");

            case "order_created" when attributes.ValueKind == JsonValueKind.Object && attributes.Str("status") == "paid":
                return LemonSqueezyOrders.Observation(data, stored.EventType) is { } order
                    ? InboxOutcome.Observed(order)
                    : InboxOutcome.Ignored("order has no id or no created_at");

            case "order_created":
                return InboxOutcome.Ignored($"order not paid (status: {(attributes.ValueKind == JsonValueKind.Object ? attributes.Str("status") : null) ?? "missing"})");

            // A refund revokes the order as proof, as a Stripe refund does; an order the hub never observed is skipped.
            case "order_refunded" when data.Str("type") == "orders":
                return InboxOutcome.Rechecked(LemonSqueezyOrders.Answer(data.Str("id")!,
                    attributes.ValueKind == JsonValueKind.Object ? attributes.Str("status") ?? "refunded" : "refunded",
                    attributes.ValueKind == JsonValueKind.Object ? LemonSqueezyOrders.Number(attributes, "refunded_amount") : null,
                    attributes.ValueKind == JsonValueKind.Object ? attributes.Str("currency") : null));

            default:
                return InboxOutcome.Ignored($"event '{stored.EventType}' proves no payoff");
        }
    }
}
