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

    /// <summary>
    /// The one rule for a schedule the hub runs (a check's poll, a re-confirmation, the weekly email): null when
    /// <paramref name="cron"/> is a standard 5-field cron that runs at most once a minute; otherwise why not.
    /// Callers name the field (<c>'schedule' …</c>, <c>Email:Schedule: …</c>).
    /// </summary>
    public static string? Problem(string cron)
    {
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron, CronFormat.Standard);
        }
        catch (CronFormatException)
        {
            return $"must be a cron expression with 5 fields, e.g. '*/30 * * * *', not '{cron}'";
        }

        // Five fields cannot say seconds, but macros can ('@every_second'): measure what the expression does.
        var first = expression.GetNextOccurrence(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var second = first is { } f ? expression.GetNextOccurrence(f) : null;
        return second - first < TimeSpan.FromMinutes(1)
            ? $"'{cron}' runs more often than once a minute; each run spends API rate limits or sends, so once a minute is the finest ('* * * * *')"
            : null;
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
