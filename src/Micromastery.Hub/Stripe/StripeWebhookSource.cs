using System.Text;
using System.Text.Json;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;
using global::Stripe;

namespace Micromastery.Hub.Stripe;

/// <summary>
/// Stripe deliveries: <c>Stripe-Signature</c> checked by Stripe.net on the raw body; events mapped to
/// "a test-mode payment was captured". The event body is read as JSON rather than through Stripe.net's
/// typed objects, so accounts pinned to older API versions work too.
/// </summary>
public sealed class StripeWebhookSource(IOptionsMonitor<StripeOptions> options, TimeProvider clock) : IWebhookSource
{
    public const string Name = "stripe";

    public string Provider => Name;

    public WebhookCheck Verify(IHeaderDictionary headers, byte[] body)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(settings.WebhookSecret))
        {
            // Fail closed; 503 makes Stripe retry, so deliveries get through once the secret is set.
            return new WebhookCheck.Rejected(StatusCodes.Status503ServiceUnavailable, "Stripe webhooks are not configured: set Stripe:WebhookSecret");
        }

        var signature = headers["Stripe-Signature"].ToString();
        if (string.IsNullOrWhiteSpace(signature))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "missing Stripe-Signature header");
        }

        var json = Encoding.UTF8.GetString(body);
        try
        {
            EventUtility.ValidateSignature(json, signature, settings.WebhookSecret, settings.ToleranceSeconds, clock.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (StripeException ex)
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, $"invalid Stripe-Signature: {ex.Message}");
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            // Stripe.net reads 't=' as a number only after the MAC over it matched, and throws these when it is not one.
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "invalid Stripe-Signature: the timestamp 't=' is not a number of seconds");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } eventId
                && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is { Length: > 0 } eventType)
            {
                return new WebhookCheck.Accepted(eventId, eventType);
            }
        }
        catch (JsonException)
        {
        }

        return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "body is not a Stripe event: expected a JSON object with 'id' and 'type'");
    }

    public InboxOutcome Map(StoredEvent stored)
    {
        using var document = JsonDocument.Parse(stored.Body);
        var root = document.RootElement;
        if (Bool(root, "livemode") != false)
        {
            return InboxOutcome.Ignored("live-mode event: payoff checks count test-mode payments");
        }

        if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("object", out var obj) || Bool(obj, "livemode") == true)
        {
            return InboxOutcome.Ignored("event has no test-mode data.object");
        }

        var observedAt = root.TryGetProperty("created", out var created) && created.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : stored.ReceivedAt;

        switch (stored.EventType)
        {
            case "payment_intent.succeeded" when Str(obj, "status") == "succeeded":
                return Payment(Str(obj, "id")!, Long(obj, "amount_received") ?? Long(obj, "amount"), obj, null, stored, observedAt);

            case "charge.succeeded" when Bool(obj, "paid") == true && Bool(obj, "captured") == true:
                return Payment(Str(obj, "payment_intent") ?? Str(obj, "id")!, Long(obj, "amount_captured") ?? Long(obj, "amount"), obj, null, stored, observedAt);

            case "charge.succeeded":
                return InboxOutcome.Ignored("charge succeeded but is not captured yet");

            case "checkout.session.completed" or "checkout.session.async_payment_succeeded" when Str(obj, "payment_status") == "paid":
                return Payment(Str(obj, "payment_intent") ?? Str(obj, "id")!, Long(obj, "amount_total"), obj, Str(obj, "payment_link"), stored, observedAt);

            case "checkout.session.completed":
                return InboxOutcome.Ignored($"checkout session not paid (payment_status: {Str(obj, "payment_status") ?? "missing"})");

            case "payment_intent.succeeded":
                return InboxOutcome.Ignored("payment intent not in status 'succeeded'");

            default:
                return InboxOutcome.Ignored($"event type '{stored.EventType}' proves no payoff");
        }
    }

    /// <summary>
    /// The payment intent id is the external id whichever event reported it, so
    /// <c>payment_intent.succeeded</c> and <c>charge.succeeded</c> for one payment are one observation.
    /// </summary>
    private static InboxOutcome Payment(string paymentId, long? amount, JsonElement obj, string? paymentLink, StoredEvent stored, DateTimeOffset observedAt) =>
        InboxOutcome.Observed(StripePayments.Observation(paymentId, amount, Str(obj, "currency"), paymentLink, observedAt, stored.EventId, stored.EventType));

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
