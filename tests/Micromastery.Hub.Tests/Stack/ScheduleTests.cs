using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>Next run, missed run and staleness: one definition, in the schedule's time zone.</summary>
public sealed class ScheduleTests
{
    private static readonly TimeZoneInfo Istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.FromHours(3)); // a Monday

    [Fact]
    public void NextAfter_IsReadInTheTimeZone() =>
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(3)), new Schedule("0 9 * * *", Istanbul).NextAfter(Now));

    [Theory]
    [InlineData(null, true)] // never run
    [InlineData(0, false)] // ran at 12:00, next at 13:00
    [InlineData(-90, true)] // ran at 10:30: 11:00 was missed
    public void Missed_WhenNeverRunOrAScheduledTimePassed(int? minutesAgo, bool missed) =>
        Assert.Equal(missed, new Schedule("0 * * * *", Istanbul).Missed(minutesAgo is { } m ? Now.AddMinutes(m) : null, Now));

    [Theory]
    [InlineData("0 9 * * 1", 3, false)] // weekly: three days without an answer is on time
    [InlineData("0 9 * * 1", 15, true)] // two Mondays went by
    [InlineData("*/5 * * * *", 0.01, true)] // 14 minutes: two 5-minute runs went by
    public void IsStale_AfterTwoScheduledPeriodsWithoutAGoodRun(string cron, double daysAgo, bool stale) =>
        Assert.Equal(stale, new Schedule(cron, Istanbul).IsStale(Now.AddDays(-daysAgo), Now));

    [Fact]
    public void IsStale_NeverWhenItNeverRan() => Assert.False(new Schedule("* * * * *", Istanbul).IsStale(null, Now));

    [Theory]
    [InlineData("0 8 * * 1", null)]
    [InlineData("61 * * * *", "")]
    [InlineData("not cron", "")]
    [InlineData("@every_second", "")] // parses, but runs every second: the stack file refused it, the email schedule took it
    [InlineData("* * * * *", null)] // once a minute is the finest
    public void Problem_SaysWhyACronDoesNotParse(string cron, string? problem)
    {
        var actual = Schedule.Problem(cron);

        Assert.Equal(problem is null, actual is null);
    }
}
