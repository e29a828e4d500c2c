using System.Text;
using System.Text.Json;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;
using global::Stripe;

namespace Micromastery.Hub.Stripe;

/// <summary>
/// Stripe deliveries: <c>Stripe-Signature</c> checked by Stripe.net on the raw body; events mapped to
/// "a test-mode payment was captured". The event body is read as JSON rather than through Stripe.net's
/// typed objects, so accounts pinned to older API versions work too.
/// </summary>
internal sealed class StripeWebhookSource(IOptionsMonitor<StripeOptions> options, TimeProvider clock) : IWebhookSource
{
    public const string Name = "stripe";

    public string Provider => Name;

    public string DisplayName => "Stripe";

    public string SecretKey => $"{StripeOptions.Section}:{nameof(StripeOptions.WebhookSecret)}";

    public string? Secret => options.CurrentValue.WebhookSecret;

    public string SignatureHeader => "Stripe-Signature";

    /// <summary>The top-level fields that say which event a delivery is.</summary>
    private static readonly byte[][] IdentityFields = ["id"u8.ToArray(), "type"u8.ToArray()];

    public WebhookCheck Verify(string secret, string signature, IHeaderDictionary headers, WebhookBody body)
    {
        // Stripe.net checks a string: the body's text, decoded once and stored as it is. A body that is not
        // UTF-8 is checked as before, with replacement characters, and is refused after a valid signature.
        var json = body.Text ?? Encoding.UTF8.GetString(body.Bytes);
        try
        {
            EventUtility.ValidateSignature(json, signature, secret, options.CurrentValue.ToleranceSeconds, clock.GetUtcNow().ToUnixTimeSeconds());
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

        // The top-level id and type only: the event's data object (most of the body) is skipped, not parsed into a document.
        Span<JsonValueAt> found = stackalloc JsonValueAt[2];
        if (TopLevelJson.TryRead(body.Bytes, IdentityFields, found)
            && found[0].IsString && found[0].GetString(body.Bytes) is { Length: > 0 } eventId
            && found[1].IsString && found[1].GetString(body.Bytes) is { Length: > 0 } eventType)
        {
            return new WebhookCheck.Accepted(eventId, eventType);
        }

        return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "body is not a Stripe event: expected a JSON object with 'id' and 'type'");
    }

    public InboxOutcome Map(StoredEvent stored)
    {
        using var document = JsonDocument.Parse(stored.Body);
        var root = document.RootElement;
        if (root.Bool("livemode") != false)
        {
            return InboxOutcome.Ignored("live-mode event: payoff checks count test-mode payments");
        }

        if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object || obj.Bool("livemode") == true)
        {
            return InboxOutcome.Ignored("event has no test-mode data.object");
        }

        // The payment's own creation time, not the event's: an event signed today may report a payment from last year.
        var observedAt = obj.Long("created") is { } objectCreated ? DateTimeOffset.FromUnixTimeSeconds(objectCreated)
            : root.Long("created") is { } eventCreated ? DateTimeOffset.FromUnixTimeSeconds(eventCreated)
            : stored.ReceivedAt;

        switch (stored.EventType)
        {
            case "payment_intent.succeeded" when obj.Str("status") == "succeeded":
                return Payment(obj.Str("id")!, obj.Long("amount_received") ?? obj.Long("amount"), obj, null, stored, observedAt);

            case "charge.succeeded" when obj.Bool("paid") == true && obj.Bool("captured") == true:
                return Payment(obj.Str("payment_intent") ?? obj.Str("id")!, obj.Long("amount_captured") ?? obj.Long("amount"), obj, null, stored, observedAt);

            case "charge.succeeded":
                return InboxOutcome.Ignored("charge succeeded but is not captured yet");

            case "checkout.session.completed" or "checkout.session.async_payment_succeeded" when obj.Str("payment_status") == "paid":
                return Payment(obj.Str("payment_intent") ?? obj.Str("id")!, obj.Long("amount_total"), obj, obj.Str("payment_link"), stored, observedAt);

            case "checkout.session.completed":
                return InboxOutcome.Ignored($"checkout session not paid (payment_status: {obj.Str("payment_status") ?? "missing"})");

            case "payment_intent.succeeded":
                return InboxOutcome.Ignored("payment intent not in status 'succeeded'");

            case "charge.refunded" when (obj.Str("payment_intent") ?? obj.Str("id")) is { Length: > 0 } refundedPayment:
                return InboxOutcome.Rechecked(StripePayments.Refunded(refundedPayment, obj.Bool("refunded") == true, obj.Long("amount_refunded"), obj.Long("amount"), obj.Str("currency")));

            case "payment_intent.canceled" when obj.Str("id") is { Length: > 0 } canceled:
                return InboxOutcome.Rechecked(new Recheck(StripePayments.Source, StripeTestPaymentCheck.Name, canceled, RecheckStates.Gone, "payment intent canceled"));

            default:
                return InboxOutcome.Ignored($"event type '{stored.EventType}' proves no payoff");
        }
    }

    /// <summary>
    /// The payment intent id is the external id whichever event reported it, so
    /// <c>payment_intent.succeeded</c> and <c>charge.succeeded</c> for one payment are one observation.
    /// </summary>
    private static InboxOutcome Payment(string paymentId, long? amount, JsonElement obj, string? paymentLink, StoredEvent stored, DateTimeOffset observedAt) =>
        InboxOutcome.Observed(StripePayments.Observation(paymentId, amount, obj.Str("currency"), paymentLink, observedAt, stored.EventId, stored.EventType));
}
