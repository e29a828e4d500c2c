using System.Globalization;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Stripe;

/// <summary>
/// A captured test payment as an observation, built the same way from a webhook and from a poll: the
/// payment intent id is the external id, so one payment is one piece of evidence however it arrived.
/// </summary>
public static class StripePayments
{
    public const string Source = "stripe";

    public static Observation Observation(string paymentId, long? amount, string? currency, string? paymentLink, DateTimeOffset observedAt, string? eventId = null, string? eventType = null)
    {
        var url = paymentId.StartsWith("pi_", StringComparison.Ordinal) || paymentId.StartsWith("ch_", StringComparison.Ordinal) || eventId is null
            ? $"https://dashboard.stripe.com/test/payments/{paymentId}"
            : $"https://dashboard.stripe.com/test/events/{eventId}";
        var facts = new Dictionary<string, string?>
        {
            ["amount"] = amount?.ToString(CultureInfo.InvariantCulture),
            ["currency"] = currency,
            ["paymentLink"] = paymentLink,
            ["event"] = eventId,
            ["eventType"] = eventType,
        };
        return new Observation(Source, CheckTypes.StripeTestPayment, paymentId, observedAt, url, facts);
    }
}
