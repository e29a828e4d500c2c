namespace Micromastery.Hub.Stack;

/// <summary>
/// Where a micromastery's practice window begins. Evidence whose real-world time (the provider's own
/// timestamp) lies before it is prior evidence: proof of something, but not of this practice.
/// </summary>
internal static class PracticeWindow
{
    /// <summary>Midnight at the start of <paramref name="day"/> in <paramref name="zone"/>, as an instant.</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

        // Where midnight falls in a daylight-saving gap (it does in a few zones) the day begins at the gap's end.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
