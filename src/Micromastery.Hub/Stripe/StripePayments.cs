using System.Globalization;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Stripe;

/// <summary>
/// A captured test payment as an observation, built the same way from a webhook and from a poll: the
/// payment intent id is the external id, so one payment is one piece of evidence however it arrived.
/// </summary>
internal static class StripePayments
{
    public const string Source = "stripe";

    /// <summary>A refund as Stripe reports it: a full refund revokes the payment as proof; a partial one changes it.</summary>
    public static Recheck Refunded(string paymentId, bool fully, long? amountRefunded, long? amount, string? currency)
    {
        var refunded = amountRefunded?.ToString(CultureInfo.InvariantCulture) ?? "?";
        var of = amount?.ToString(CultureInfo.InvariantCulture) ?? "?";
        return fully || (amountRefunded is { } r && amount is { } a && a > 0 && r >= a)
            ? new Recheck(Source, StripeTestPaymentCheck.Name, paymentId, RecheckStates.Gone, $"fully refunded ({refunded} {currency})".Replace(" )", ")", StringComparison.Ordinal))
            : new Recheck(Source, StripeTestPaymentCheck.Name, paymentId, RecheckStates.Changed, $"partially refunded: {refunded} of {of} {currency}".TrimEnd());
    }

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
        return new Observation(Source, StripeTestPaymentCheck.Name, paymentId, observedAt, url, facts);
    }
}
