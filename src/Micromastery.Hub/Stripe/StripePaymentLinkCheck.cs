using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Stripe;

/// <summary><c>stripe.payment-link</c>: an active Payment Link exists.</summary>
internal sealed class StripePaymentLinkCheck(StripeApi api, TimeProvider clock) : IPollingCheckType
{
    /// <summary>The type's name in the stack file.</summary>
    public const string Name = "stripe.payment-link";

    public string Type => Name;

    public string HowVerified(CheckSpec check) => "a Stripe Payment Link that exists, reported by Stripe";

    public string EvidenceTitle => "Payment Link found (Stripe)";

    public string Description => "An active Stripe Payment Link exists.";

    public string DefaultSchedule => "0 * * * *";

    public IReadOnlyList<CheckParameter> Parameters { get; } =
    [
        new("id", Required: false, "Only this Payment Link (plink_…).",
            v => v.StartsWith("plink_", StringComparison.Ordinal) ? null : "a Payment Link id starts with 'plink_'"),
    ];

    public async Task<IReadOnlyList<Observation>> PollAsync(Stack.Micromastery micromastery, CheckSpec check, CancellationToken cancellationToken)
    {
        var links = await api.ActivePaymentLinksAsync(cancellationToken);
        var now = clock.GetUtcNow(); // a Payment Link carries no creation time: it is observed now
        return links.Select(link => new Observation(StripePayments.Source, StripePaymentLinkCheck.Name, link.Id, now, link.Url,
            new Dictionary<string, string?>
            {
                ["active"] = link.Active ? "true" : "false",
                ["livemode"] = link.Livemode ? "true" : "false",
                ["dashboard"] = $"https://dashboard.stripe.com/{(link.Livemode ? "" : "test/")}payment-links/{link.Id}",
            })).ToList();
    }

    public bool Satisfies(CheckSpec check, Observation observation) =>
        observation.Kind == StripePaymentLinkCheck.Name
        && observation.Fact("active") == "true"
        && (check.Get("id") is not { } id || observation.ExternalId == id);

    public string ContextNoun => "payment link";

    public string? ContextOf(Observation observation) => $"payment link {observation.ExternalId}";
}
