namespace Micromastery.Hub.Payoffs;

/// <summary>One piece of evidence: what proved a check, when, and a link to the real thing.</summary>
/// <param name="Prior">Seen before the practice window opened: shown, but it neither verifies the payoff nor counts toward repeatability.</param>
public sealed record EvidenceItem(string CheckId, string Source, string ExternalId, DateTimeOffset ObservedAt, string? Url, bool Prior = false);

/// <param name="Stale">A polling check whose last trustworthy answer is older than two of its scheduled periods.</param>
public sealed record CheckReport(string Id, string Type, string State, string? Message, DateTimeOffset? LastAttemptAt, DateTimeOffset? LastSuccessAt, bool Stale = false);

public sealed record MicromasteryReport(
    string Slug,
    string Name,
    string Layer,
    string LayerTitle,
    string? Staple,
    DateOnly Started,
    int Day,
    string Phase,
    string Asks,
    string Payoff,
    DateTimeOffset? VerifiedAt,
    IReadOnlyList<CheckReport> Checks,
    IReadOnlyList<EvidenceItem> Evidence,
    Practice.PracticeSummary? Practice = null,
    RepeatabilityReport? Repeatability = null,
    DateTimeOffset? WindowStart = null);

public sealed record StackReport(
    DateTimeOffset GeneratedAt,
    string TimeZone,
    string StackFile,
    IReadOnlyList<string> StackErrors,
    IReadOnlyList<MicromasteryReport> Micromasteries,
    Practice.PaceReport? Pace = null);
