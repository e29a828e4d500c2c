using System.Globalization;
using Cronos;

namespace Micromastery.Hub.Email;

/// <summary>An ISO week in the stack's time zone: the key of the exactly-once rule.</summary>
public sealed record IsoWeek(int Year, int Week)
{
    public string Key => $"{Year:D4}-W{Week:D2}";

    public static IsoWeek Of(DateTimeOffset instant, TimeZoneInfo timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, timeZone).DateTime;
        return new IsoWeek(ISOWeek.GetYear(local), ISOWeek.GetWeekOfYear(local));
    }

    public static bool TryParse(string? key, out IsoWeek week)
    {
        week = new IsoWeek(0, 0);
        if (key is not { Length: 8 } || key[4] != '-' || key[5] != 'W'
            || !int.TryParse(key[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(key[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year is < 2000 or > 9999 || number < 1 || number > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }

        week = new IsoWeek(year, number);
        return true;
    }

    /// <summary>Monday of the week.</summary>
    public DateOnly Monday => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday));

    public override string ToString() => Key;
}

/// <summary>When the weekly email is due, from <c>Email:Schedule</c> in the stack's time zone.</summary>
public static class WeeklySchedule
{
    public static CronExpression Parse(string cron) => CronExpression.Parse(cron, CronFormat.Standard);

    /// <summary>The latest scheduled time at or before <paramref name="now"/> within the past week, if any.</summary>
    public static DateTimeOffset? LastOccurrence(string cron, TimeZoneInfo timeZone, DateTimeOffset now)
    {
        DateTimeOffset? last = null;
        var from = now.AddDays(-7);
        while (Parse(cron).GetNextOccurrence(from, timeZone) is { } next && next <= now)
        {
            last = next;
            from = next;
        }

        return last;
    }

    /// <summary>
    /// The week to catch up on start-up: this week, when its scheduled time has passed (the hub may
    /// have been down then). Earlier weeks are not sent late: their news is stale.
    /// </summary>
    public static IsoWeek? CatchUp(string cron, TimeZoneInfo timeZone, DateTimeOffset now) =>
        LastOccurrence(cron, timeZone, now) is { } last && IsoWeek.Of(last, timeZone) == IsoWeek.Of(now, timeZone)
            ? IsoWeek.Of(now, timeZone)
            : null;
}
