using Micromastery.Hub.Email;

namespace Micromastery.Hub.Tests.Email;

public sealed class WeeklyScheduleTests
{
    private static readonly TimeZoneInfo Istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");

    [Fact]
    public void HubDownAtMonday0800_StartingOnTuesday_CatchesUpThisWeek() =>
        Assert.Equal(new IsoWeek(2026, 49), WeeklySchedule.CatchUp("0 8 * * 1", Istanbul, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(3))));

    [Fact]
    public void StartingOnMondayBefore0800_HasNothingToCatchUp() =>
        Assert.Null(WeeklySchedule.CatchUp("0 8 * * 1", Istanbul, new DateTimeOffset(2026, 11, 30, 7, 59, 0, TimeSpan.FromHours(3))));

    [Fact]
    public void ScheduleIsReadInTheStacksTimeZone() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero),
            new Micromastery.Hub.Stack.Schedule("0 8 * * 1", Istanbul).LastAtOrBefore(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(7)));

    [Fact]
    public void IsoWeek_AtYearBoundary_BelongsToTheIsoYear()
    {
        Assert.Equal("2026-W53", IsoWeek.Of(new DateTimeOffset(2027, 1, 1, 12, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc).Key);
        Assert.Equal("2025-W01", IsoWeek.Of(new DateTimeOffset(2024, 12, 30, 12, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc).Key);
    }

    [Theory]
    [InlineData("2026-W49", true)]
    [InlineData("2026-W54", false)]
    [InlineData("2026-49", false)]
    [InlineData("../../etc", false)]
    public void IsoWeek_Parses(string key, bool valid) => Assert.Equal(valid, IsoWeek.TryParse(key, out _));
}
