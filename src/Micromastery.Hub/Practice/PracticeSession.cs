using System.Globalization;
using System.Text.RegularExpressions;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Practice;

/// <summary>A block of practice on one micromastery, on the day it counts on in the stack's time zone.</summary>
public sealed record PracticeSession(string Id, string Slug, DateTimeOffset StartedAt, DateOnly Date, int Minutes, string? Note, DateTimeOffset RecordedAt);

/// <summary>What a client sends to log or correct a session; every field is checked by <see cref="PracticeInput.Validate"/>.</summary>
/// <param name="Id">Optional: a retried POST with the same id does not count twice.</param>
/// <param name="Date">The day (yyyy-MM-dd, the stack's time zone), when <paramref name="Start"/> is not given.</param>
/// <param name="Start">When it began: ISO 8601 with an offset, or a local time read in the stack's time zone.</param>
internal sealed partial record PracticeInput(string? Id, string? Slug, string? Date, string? Start, int? Minutes, string? Note)
{
    /// <summary>The seed's day: a session cannot be longer than the day it counts on.</summary>
    public const int MaxMinutes = 24 * 60;

    public const int MaxNoteLength = 2000;

    public const int MaxIdLength = 64;

    /// <summary>A session of at least this long is one of the seed's deep-work blocks (2 × 90 minutes a day).</summary>
    public const int BlockMinutes = 90;

    /// <summary>The checked session, or the field at fault and why. Nothing about the input is trusted before this.</summary>
    public (PracticeSession? Session, string? Field, string? Error) Validate(StackDefinition stack, DateTimeOffset now, string? idOverride = null)
    {
        var id = idOverride ?? Id;
        if (id is not null && (id.Length is 0 or > MaxIdLength || !IdShape().IsMatch(id)))
        {
            return Fail("id", $"an id is 1–{MaxIdLength} letters, digits, '-' or '_'");
        }

        if (string.IsNullOrEmpty(Slug))
        {
            return Fail("slug", "give the micromastery's slug");
        }

        if (stack.Find(Slug) is not { } micromastery)
        {
            return Fail("slug", $"no micromastery '{Slug}' in the stack");
        }

        if (Minutes is not { } minutes || minutes <= 0 || minutes > MaxMinutes)
        {
            return Fail("minutes", $"minutes must be between 1 and {MaxMinutes}");
        }

        if (Note is { Length: > MaxNoteLength })
        {
            return Fail("note", $"'note' is {Note.Length} characters; at most {MaxNoteLength}");
        }

        var zone = micromastery.TimeZone;
        DateTimeOffset started;
        if (!string.IsNullOrEmpty(Start))
        {
            if (DateTimeOffset.TryParse(Start, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) && HasOffset(Start))
            {
                started = withOffset;
            }
            else if (DateTime.TryParse(Start, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                started = new DateTimeOffset(local, zone.GetUtcOffset(local));
            }
            else
            {
                return Fail("start", "'start' is not a date and time (e.g. 2026-11-30T07:00 or 2026-11-30T07:00+03:00)");
            }
        }
        else if (!string.IsNullOrEmpty(Date))
        {
            if (!DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return Fail("date", "'date' is a day as yyyy-MM-dd");
            }

            var midday = day.ToDateTime(new TimeOnly(12, 0));
            started = new DateTimeOffset(midday, zone.GetUtcOffset(midday));
            if (started > now && DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime) == day)
            {
                // Today, logged in the morning: noon is still ahead, but the day is not in the future.
                started = now;
            }
        }
        else
        {
            started = now;
        }

        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(started, zone).DateTime);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (date > today || started > now.AddMinutes(5))
        {
            return Fail(string.IsNullOrEmpty(Start) ? "date" : "start", "practice cannot be logged in the future");
        }

        if (date < today.AddYears(-5))
        {
            return Fail(string.IsNullOrEmpty(Start) ? "date" : "start", "practice more than five years ago is not logged");
        }

        return (new PracticeSession(id ?? Guid.NewGuid().ToString("N"), micromastery.Slug, started, date, minutes, string.IsNullOrWhiteSpace(Note) ? null : Note.Trim(), now), null, null);
    }

    private static bool HasOffset(string text) => text.EndsWith('Z') || text.EndsWith('z') || OffsetSuffix().IsMatch(text);

    private static (PracticeSession?, string?, string?) Fail(string field, string error) => (null, field, error);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex IdShape();

    [GeneratedRegex(@"[+-]\d{2}:?\d{2}$")]
    private static partial Regex OffsetSuffix();
}
