using System.Globalization;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Stripe;

/// <summary>
/// <c>stripe.test-payment</c>: a real test-mode payment was captured. Webhooks are the fast path; the
/// poll is the fallback for when they were never set up, and yields the same observation.
/// </summary>
internal sealed class StripeTestPaymentCheck(StripeApi api) : IRecheckableCheckType
{
    /// <summary>The type's name in the stack file.</summary>
    public const string Name = "stripe.test-payment";

    public string Type => Name;

    public string HowVerified(CheckSpec check) => "a test-mode payment captured, reported by Stripe";

    public string EvidenceTitle => "Test payment captured (Stripe)";

    public string Description => "A test-mode (livemode: false) Stripe payment was captured.";

    public string DefaultSchedule => "0 * * * *";

    public Task<IReadOnlyList<Observation>> PollAsync(Stack.Micromastery micromastery, CheckSpec check, CancellationToken cancellationToken) =>
        check.Get("paymentLink") is { } link
            ? api.PaidSessionsAsync(link, micromastery.WindowStart, cancellationToken)
            : api.SucceededPaymentsAsync(micromastery.WindowStart, cancellationToken);

    public Task<Recheck> RecheckAsync(CheckSpec check, Observation observation, CancellationToken cancellationToken) =>
        api.RecheckPaymentAsync(observation.ExternalId, cancellationToken);

    public IReadOnlyList<CheckParameter> Parameters { get; } =
    [
        new("paymentLink", Required: false, "Only payments through this Payment Link (plink_…).",
            v => v.StartsWith("plink_", StringComparison.Ordinal) ? null : "a Payment Link id starts with 'plink_'"),
        new("minAmount", Required: false, "Smallest amount that counts, in the currency's minor unit (e.g. 500 = $5.00).",
            v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : "a whole number of minor units, e.g. 500"),
        new("currency", Required: false, "Only payments in this currency (ISO code, e.g. usd).",
            v => v.Length == 3 && v.All(char.IsAsciiLetter) ? null : "a three-letter currency code such as usd"),
    ];

    public bool Satisfies(CheckSpec check, Observation observation)
    {
        if (observation.Kind != StripeTestPaymentCheck.Name)
        {
            return false;
        }

        if (check.Get("paymentLink") is { } link && observation.Fact("paymentLink") != link)
        {
            return false;
        }

        if (check.Get("currency") is { } currency && !string.Equals(observation.Fact("currency"), currency, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (check.Get("minAmount") is { } min)
        {
            return long.TryParse(observation.Fact("amount"), CultureInfo.InvariantCulture, out var amount)
                && amount >= long.Parse(min, CultureInfo.InvariantCulture);
        }

        return true;
    }

    public string ContextNoun => "product, price or payment link";

    // A payment intent names no product: its Payment Link when it came through one, else its price point.
    public string? ContextOf(Observation observation) =>
        observation.Fact("paymentLink") is { Length: > 0 } link ? $"payment link {link}"
        : observation.Fact("amount") is { } amount ? $"price {amount} {observation.Fact("currency")}".TrimEnd()
        : null;

    public bool WebhooksCanSatisfy => true;
}
