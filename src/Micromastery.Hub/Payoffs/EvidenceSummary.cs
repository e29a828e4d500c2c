namespace Micromastery.Hub.Payoffs;

/// <summary>One check's evidence, summed where it is written (<see cref="EvidenceSummaries"/>).</summary>
/// <param name="PriorCount">Evidence observed before the practice window opened: shown, never counted.</param>
/// <param name="FirstAt">The first evidence in the practice window.</param>
/// <param name="LatestAt">The latest evidence in the practice window.</param>
public sealed record CheckSummary(string CheckId, long EvidenceCount, long PriorCount, DateTimeOffset? FirstAt, DateTimeOffset? LatestAt)
{
    public long InWindow => EvidenceCount - PriorCount;

    /// <summary>The one rule of "evidence holds": the check has evidence from the practice window. The ledger, the report and the check runner ask this.</summary>
    public bool Holds => InWindow > 0;
}

/// <summary>One micromastery's evidence, summed where it is written: what every page, badge and the API read instead of the evidence.</summary>
/// <param name="LatestAnyAt">The latest evidence, prior evidence included.</param>
/// <param name="GoneCount">Evidence from the practice window that its source has since called gone (refunded, cancelled, deleted).</param>
/// <param name="LastConfirmedAt">The last time a source confirmed any of its evidence.</param>
public sealed record MicromasterySummary(
    long EvidenceCount,
    long PriorCount,
    DateTimeOffset? FirstAt,
    DateTimeOffset? LatestAt,
    DateTimeOffset? LatestAnyAt,
    long GoneCount,
    DateTimeOffset? LastConfirmedAt,
    IReadOnlyList<CheckSummary> Checks)
{
    public static MicromasterySummary Empty { get; } = new(0, 0, null, null, null, 0, null, []);

    public long InWindow => EvidenceCount - PriorCount;

    /// <summary>Disputed, never silently pending: verified once, and every piece of evidence from the window is now gone at its source.</summary>
    public bool Disputed(bool verified) => verified && InWindow > 0 && GoneCount == InWindow;

    public CheckSummary? Check(string checkId) => Checks.FirstOrDefault(c => c.CheckId == checkId);
}
