using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Email;

/// <summary>When the weekly email is due, from <c>Email:Schedule</c> in the stack's time zone.</summary>
internal static class WeeklySchedule
{
    /// <summary>
    /// The week to catch up on start-up: this week, when its scheduled time has passed (the hub may
    /// have been down then). Earlier weeks are not sent late: their news is stale.
    /// </summary>
    public static IsoWeek? CatchUp(string cron, TimeZoneInfo timeZone, DateTimeOffset now) =>
        new Schedule(cron, timeZone).LastAtOrBefore(now, TimeSpan.FromDays(7)) is { } last && IsoWeek.Of(last, timeZone) == IsoWeek.Of(now, timeZone)
            ? IsoWeek.Of(now, timeZone)
            : null;
}
