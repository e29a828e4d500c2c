using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Tests.Stack;

public sealed class SevenDayPlanTests
{
    private static readonly DateOnly Start = new(2026, 11, 20);

    [Theory]
    [InlineData("2026-11-19T12:00:00Z", 0, "Not started")]
    [InlineData("2026-11-20T00:00:00Z", 1, "Entry trick")]
    [InlineData("2026-11-21T09:00:00Z", 2, "First repetition")]
    [InlineData("2026-11-22T09:00:00Z", 3, "Rub of reality")]
    [InlineData("2026-11-23T09:00:00Z", 4, "Background support")]
    [InlineData("2026-11-24T09:00:00Z", 5, "Repeatability")]
    [InlineData("2026-11-25T09:00:00Z", 6, "Payoff")]
    [InlineData("2026-11-26T23:59:59Z", 7, "Experimental path")]
    [InlineData("2026-11-27T00:00:00Z", 8, "Practice")]
    public void DayOf_FollowsTheSeedsTable(string now, int day, string phase)
    {
        var plan = SevenDayPlan.DayOf(Start, TimeZoneInfo.Utc, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(day, plan.Day);
        Assert.Equal(phase, plan.Phase);
    }

    [Fact]
    public void DayOf_TurnsAtTheUsersMidnightNotTheServers()
    {
        var istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul"); // UTC+3
        var lateEveningUtc = new DateTimeOffset(2026, 11, 20, 22, 30, 0, TimeSpan.Zero); // 01:30 on the 21st in Istanbul

        Assert.Equal(2, SevenDayPlan.DayOf(Start, istanbul, lateEveningUtc).Day);
        Assert.Equal(1, SevenDayPlan.DayOf(Start, TimeZoneInfo.Utc, lateEveningUtc).Day);
    }

    [Fact]
    public void EveryDay_AsksSomething()
    {
        Assert.Equal(7, SevenDayPlan.Days.Count);
        Assert.All(SevenDayPlan.Days, d => Assert.False(string.IsNullOrWhiteSpace(d.Asks)));
        Assert.Equal("Payoff", SevenDayPlan.Days[5].Phase);
    }
}
