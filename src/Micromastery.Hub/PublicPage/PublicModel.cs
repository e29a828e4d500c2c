using Micromastery.Hub.Stack;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// What a stranger may see: built only from published micromasteries, and only from fields that pass the
/// privacy rules (<see cref="EvidenceDisclosure"/>). Pages, badges and the feed read this, never the report.
/// </summary>
public sealed record PublicStack(DateTimeOffset GeneratedAt, StackProfile? Profile, IReadOnlyList<PublicMicromastery> Micromasteries)
{
    public int Verified => Micromasteries.Count(m => m.Payoff == Payoffs.PayoffStates.Verified);

    public PublicMicromastery? Find(string slug) => Micromasteries.FirstOrDefault(m => string.Equals(m.Slug, slug, StringComparison.Ordinal));
}

/// <param name="HowVerified">One sentence per check, in words a stranger understands.</param>
/// <param name="Contexts">How many distinct contexts the payoff held in (the report's repeatability); which ones stays private.</param>
/// <param name="Evidence">The newest evidence (on the micromastery's own page only); <paramref name="EvidenceCount"/> counts all of it.</param>
/// <param name="RepeatedAt">When repeatability was demonstrated: the payoff first held in a second context.</param>
public sealed record PublicMicromastery(
    string Slug,
    string Name,
    string Layer,
    string LayerTitle,
    string Payoff,
    DateOnly Started,
    DateTimeOffset? VerifiedAt,
    int? DaysToPayoff,
    int Contexts,
    DateTimeOffset? RepeatedAt,
    IReadOnlyList<string> HowVerified,
    DateTimeOffset? LastChecked,
    IReadOnlyList<PublicEvidence> Evidence,
    IReadOnlyList<PublicDay> Timeline,
    PublicCaseStudy? CaseStudy,
    long EvidenceCount = 0)
{
    public bool Repeated => RepeatedAt is not null;
}

/// <summary>A piece of evidence as a stranger sees it: when, what, and a link only when the link may be shown.</summary>
/// <param name="Prior">From before the practice window: shown, labelled, never counted.</param>
public sealed record PublicEvidence(DateTimeOffset ObservedAt, string What, string? Url, bool Prior = false);

/// <summary>One day of the 7-day plan: what it asked, and how many pieces of proof arrived that day.</summary>
public sealed record PublicDay(int Day, DateOnly Date, string Phase, string Asks, int Proofs, bool VerifiedHere);

/// <summary>The published case-study version, rendered to safe HTML.</summary>
public sealed record PublicCaseStudy(int Version, DateTimeOffset PublishedAt, string Html);
