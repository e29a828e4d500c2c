using System.Globalization;

namespace Micromastery.Hub.Email;

/// <summary>An ISO week in the stack's time zone: the key of the exactly-once rule.</summary>
internal sealed record IsoWeek(int Year, int Week)
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
