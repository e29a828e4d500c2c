using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Practice;

namespace Micromastery.Hub.Tests.Practice;

/// <summary>Pace against the seed on a fixture small enough to compute by hand.</summary>
public sealed class PaceTests
{
    private static readonly TimeZoneInfo Istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");

    // Wednesday 2026-12-02, 10:00 in Istanbul.
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(3));

    private static MicromasteryReport M(string slug, DateOnly started, DateTimeOffset? verifiedAt = null, params DateTimeOffset[] evidence) =>
        new(slug, slug, "A", "AI + code", null, started, 1, "Entry trick", "", verifiedAt is null ? PayoffStates.Pending : PayoffStates.Verified, verifiedAt, [],
            [.. evidence.Select((at, i) => new EvidenceItem("c", "s", $"{slug}-{i}", at, null))]);

    private static readonly MicromasteryReport[] Stack =
    [
        M("cron", new DateOnly(2026, 11, 25), new DateTimeOffset(2026, 11, 30, 21, 30, 0, TimeSpan.Zero), // 00:30 on Dec 1 in Istanbul
            new DateTimeOffset(2026, 11, 30, 21, 30, 0, TimeSpan.Zero)),
        M("newsletter", new DateOnly(2026, 10, 20), new DateTimeOffset(2026, 10, 28, 9, 0, 0, TimeSpan.Zero)),
        M("omelette", new DateOnly(2026, 12, 1)),
        M("figma", new DateOnly(2026, 12, 10)), // not started yet
    ];

    private static readonly PracticeDayTotal[] Practice =
    [
        new("cron", new DateOnly(2026, 11, 25), 90, 1), // plan day 1
        new("cron", new DateOnly(2026, 11, 27), 200, 2), // day 3
        new("cron", new DateOnly(2026, 12, 1), 30, 0), // day 7
        new("cron", new DateOnly(2026, 12, 2), 15, 0), // day 8: after the plan
        new("omelette", new DateOnly(2026, 11, 30), 20, 0), // before it started
        new("omelette", new DateOnly(2026, 12, 1), 95, 1),
        new("omelette", new DateOnly(2026, 12, 2), 100, 1),
    ];

    [Fact]
    public void PerMicromastery_MinutesAndPlanDays()
    {
        var cron = Pace.For(Stack[0], Practice);
        var omelette = Pace.For(Stack[2], Practice);
        var figma = Pace.For(Stack[3], Practice);

        Assert.Equal(new PracticeSummary(335, 630, 3, 7, new DateOnly(2026, 12, 2)), cron);
        Assert.Equal(new PracticeSummary(215, 630, 2, 2, new DateOnly(2026, 12, 2)), omelette);
        Assert.Equal(new PracticeSummary(0, 630, 0, null, null), figma);
    }

    [Fact]
    public void Stack_TodayStreakMonthAndStack()
    {
        var pace = Pace.Of(Stack, Practice, Istanbul, Now);

        Assert.Equal(new DateOnly(2026, 12, 2), pace.Today);
        Assert.Equal(115, pace.MinutesToday);
        Assert.Equal(1, pace.BlocksToday);
        Assert.Equal(3, pace.StreakDays); // Nov 30, Dec 1, Dec 2
        Assert.Equal(2, pace.StartedLast30Days); // cron, omelette (figma has not started; newsletter is older)
        Assert.Equal(1, pace.VerifiedLast30Days); // cron
        Assert.Equal("behind", pace.MonthlyStatus);
        Assert.Equal(2, pace.VerifiedTotal);
    }

    [Theory]
    [InlineData(0, Pace.TooEarly)]
    [InlineData(29, Pace.TooEarly)]
    [InlineData(30, "behind")]
    public void MonthlyStatus_SaysBehind_OnlyOnceAMonthHasPassedSinceTheFirstStart(int daysSinceFirstStart, string expected)
    {
        var first = Stack[0] with { Started = new DateOnly(2026, 12, 2).AddDays(-daysSinceFirstStart), VerifiedAt = null };

        var pace = Pace.Of([first], [], Istanbul, Now);

        Assert.Equal(expected, pace.MonthlyStatus);
    }

    [Fact]
    public void Series_Covers52WeeksFromAMonday_WithEvidenceAndPayoffsOnTheirLocalDay()
    {
        var pace = Pace.Of(Stack, Practice, Istanbul, Now);

        Assert.Equal(DayOfWeek.Monday, pace.Days[0].Date.DayOfWeek);
        Assert.Equal(new DateOnly(2026, 12, 2), pace.Days[^1].Date);
        Assert.Equal(51 * 7 + 3, pace.Days.Count);
        var december1 = pace.Days.Single(d => d.Date == new DateOnly(2026, 12, 1));
        Assert.Equal(new PaceDay(new DateOnly(2026, 12, 1), 125, 1, 1, 1), december1);
        Assert.Equal(0, pace.Days.Single(d => d.Date == new DateOnly(2026, 11, 30)).Evidence);
    }

    [Fact]
    public void Streak_WithNothingYetToday_CountsUpToYesterday()
    {
        var pace = Pace.Of(Stack, [.. Practice.Where(p => p.Date != new DateOnly(2026, 12, 2))], Istanbul, Now);

        Assert.Equal(2, pace.StreakDays);
        Assert.Equal(0, pace.MinutesToday);
    }

    private static PracticeDayTotal[] Practised(params string[] days) =>
        [.. days.Select(d => new PracticeDayTotal("cron", DateOnly.Parse(d, System.Globalization.CultureInfo.InvariantCulture), 30, 0))];

    [Fact]
    public void Streak_AOneDayGapNextToTheCurrentStreak_EndsIt()
    {
        var pace = Pace.Of(Stack, Practised("2026-11-29", "2026-12-01", "2026-12-02"), Istanbul, Now);

        Assert.Equal(2, pace.StreakDays); // Dec 1 and 2; Nov 30 is missing, so Nov 29 does not count
    }

    [Fact]
    public void Streak_WithNothingYetToday_AndAGapOnTheDayBeforeYesterday_IsYesterdayAlone()
    {
        var pace = Pace.Of(Stack, Practised("2026-11-27", "2026-11-28", "2026-11-29", "2026-12-01"), Istanbul, Now);

        Assert.Equal(1, pace.StreakDays);
    }

    [Fact]
    public void Streak_WithNothingTodayOrYesterday_IsOver()
    {
        var pace = Pace.Of(Stack, Practised("2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"), Istanbul, Now);

        Assert.Equal(0, pace.StreakDays);
    }

    [Fact]
    public void Streak_AGapOnTheLastDayOfTheMonth_InTheStacksTimeZone_EndsIt()
    {
        // 22:30 UTC on Nov 30 is already 01:30 on Dec 1 in Istanbul: today is Dec 1 there, and Nov 30 is the gap.
        var now = new DateTimeOffset(2026, 11, 30, 22, 30, 0, TimeSpan.Zero);

        var pace = Pace.Of(Stack, Practised("2026-11-28", "2026-11-29", "2026-12-01"), Istanbul, now);

        Assert.Equal(1, pace.StreakDays); // in UTC today would be Nov 30 and the streak Nov 28–29, 2 days
        Assert.Equal(new DateOnly(2026, 12, 1), pace.Today);
    }
}
