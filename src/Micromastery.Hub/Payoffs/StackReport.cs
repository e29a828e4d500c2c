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

/// <param name="Evidence">The newest evidence (<see cref="PayoffReporter.NewestEvidence"/> at most, oldest of them first); the rest pages through <c>GET /api/micromasteries/{slug}/evidence</c>.</param>
/// <param name="EvidenceCount">All its evidence, prior included.</param>
/// <param name="Summary">Its evidence summed: counts, first and latest in the window, gone, last confirmed, per check.</param>
/// <param name="PlanDayEvidence">Evidence observed on each of the seven plan days (its own time zone), from the summaries.</param>
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
    bool Disputed = false,
    long EvidenceCount = 0,
    MicromasterySummary? Summary = null,
    IReadOnlyList<int>? PlanDayEvidence = null);

public sealed record StackReport(
    DateTimeOffset GeneratedAt,
    string TimeZone,
    string StackFile,
    IReadOnlyList<string> StackErrors,
    IReadOnlyList<MicromasteryReport> Micromasteries,
    Practice.PaceReport? Pace = null);

/// <summary>One page of a micromastery's evidence, newest first; <paramref name="Next"/> is the cursor of the next (older) page, null on the last.</summary>
public sealed record EvidencePage(string Slug, long EvidenceCount, IReadOnlyList<EvidenceItem> Items, string? Next);
