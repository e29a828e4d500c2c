using Cronos;

namespace Micromastery.Hub.Stack;

/// <summary>
/// A cron expression read in a time zone: when it runs next, whether a run was missed, whether what it
/// drives is stale. The one place these are decided — the check jobs, the report, the email and the
/// weekly send all ask it.
/// </summary>
public sealed class Schedule(string cron, TimeZoneInfo timeZone)
{
    private readonly CronExpression _expression = CronExpression.Parse(cron, CronFormat.Standard);

    public string Cron => cron;

    public TimeZoneInfo TimeZone => timeZone;

    /// <summary>Null when <paramref name="cron"/> parses; otherwise why not.</summary>
    public static string? Problem(string cron)
    {
        try
        {
            CronExpression.Parse(cron, CronFormat.Standard);
            return null;
        }
        catch (CronFormatException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The first scheduled time after <paramref name="instant"/>.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset instant) => _expression.GetNextOccurrence(instant, timeZone);

    /// <summary>Never run, or a scheduled time has passed since the last run.</summary>
    public bool Missed(DateTimeOffset? lastRun, DateTimeOffset now) =>
        lastRun is not { } since || NextAfter(since) is { } due && due <= now;

    /// <summary>
    /// The second scheduled time after the last good run is already past: about two periods went by without
    /// one, so whatever should run it has stopped. Never run at all is not stale (it has not started).
    /// </summary>
    public bool IsStale(DateTimeOffset? lastGood, DateTimeOffset now) =>
        lastGood is { } since && NextAfter(since) is { } next && NextAfter(next) is { } afterNext && afterNext < now;

    /// <summary>The latest scheduled time at or before <paramref name="now"/>, looking back no further than <paramref name="within"/>.</summary>
    public DateTimeOffset? LastAtOrBefore(DateTimeOffset now, TimeSpan within)
    {
        DateTimeOffset? last = null;
        var from = now - within;
        while (NextAfter(from) is { } next && next <= now)
        {
            last = next;
            from = next;
        }

        return last;
    }
}
