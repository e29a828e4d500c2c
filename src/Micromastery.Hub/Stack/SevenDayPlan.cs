namespace Micromastery.Hub.Stack;

/// <summary>Where a micromastery stands in the seed's 7-day plan (7 days × 90 minutes).</summary>
/// <param name="Day">1–7 inside the plan; 0 before the start date; 8 or more after the plan.</param>
public sealed record PlanDay(int Day, string Phase, string Asks);

internal static class SevenDayPlan
{
    public const int MinutesPerDay = 90;

    /// <summary>The seed's table: day, phase, activity.</summary>
    public static IReadOnlyList<(string Phase, string Asks)> Days { get; } =
    [
        ("Entry trick", "Define the topic in one sentence; find one starting hack."),
        ("First repetition", "Complete the first end-to-end example: simple, but whole."),
        ("Rub of reality", "Hit the resistance and debug it (3–4 hours is normal)."),
        ("Background support", "Post a first question to a community (Discord, Indie Hackers, Reddit)."),
        ("Repeatability", "Do the same thing in a different context: same skill, another repo, product or API."),
        ("Payoff", "Demonstrate the result in public and write the case study."),
        ("Experimental path", "Try two new variations; keep the one that flows naturally."),
    ];

    /// <summary>
    /// The plan day for <paramref name="now"/>, counted in the user's time zone so that the day turns
    /// at the user's midnight, not the server's.
    /// </summary>
    public static PlanDay DayOf(DateOnly started, TimeZoneInfo timeZone, DateTimeOffset now)
    {
        var day = DayNumber(started, timeZone, now);
        return day switch
        {
            < 1 => new PlanDay(day, "Not started", $"Starts on {started:yyyy-MM-dd}."),
            > 7 => new PlanDay(day, "Practice", "The plan is done: keep the practice going and repeat the payoff in a new context."),
            _ => new PlanDay(day, Days[day - 1].Phase, Days[day - 1].Asks),
        };
    }

    /// <summary>
    /// The plan day <paramref name="at"/> falls on (1 on <paramref name="started"/>), counted in the micromastery's own
    /// time zone — the zone its start date is written in and its evidence is grouped by day in.
    /// </summary>
    public static int DayNumber(DateOnly started, TimeZoneInfo timeZone, DateTimeOffset at) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, timeZone).DateTime).DayNumber - started.DayNumber + 1;

    /// <summary>Days to payoff: the plan day the payoff was first verified on, or null while it is not. The one definition
    /// the case-study draft and the public page both show.</summary>
    public static int? DaysToPayoff(DateOnly started, TimeZoneInfo timeZone, DateTimeOffset? verifiedAt) =>
        verifiedAt is { } at ? DayNumber(started, timeZone, at) : null;
}
