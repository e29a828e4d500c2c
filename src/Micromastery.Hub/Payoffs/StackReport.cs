namespace Micromastery.Hub.Payoffs;

/// <summary>One piece of evidence: what proved a check, when, and a link to the real thing.</summary>
/// <param name="Prior">Seen before the practice window opened: shown, but it neither verifies the payoff nor counts toward repeatability.</param>
/// <param name="Recheck">The source's last answer about this object (<see cref="RecheckStates"/>), or null when never asked again.</param>
/// <param name="RecheckDetail">What the source said, e.g. "fully refunded".</param>
/// <param name="RecheckedAt">When the source was last asked (or last told the hub, by webhook).</param>
/// <param name="LastConfirmedAt">When the source last confirmed the object still proves the check.</param>
public sealed record EvidenceItem(string CheckId, string Source, string ExternalId, DateTimeOffset ObservedAt, string? Url, bool Prior = false,
    string? Recheck = null, string? RecheckDetail = null, DateTimeOffset? RecheckedAt = null, DateTimeOffset? LastConfirmedAt = null);

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
    DateTimeOffset? WindowStart = null,
    bool Disputed = false);

public sealed record StackReport(
    DateTimeOffset GeneratedAt,
    string TimeZone,
    string StackFile,
    IReadOnlyList<string> StackErrors,
    IReadOnlyList<MicromasteryReport> Micromasteries,
    Practice.PaceReport? Pace = null);
