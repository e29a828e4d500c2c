using System.Globalization;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;
using Scriban.Runtime;
using static Micromastery.Hub.Templates.ScriptModel;
using static Micromastery.Hub.Templates.ReportScript;

namespace Micromastery.Hub.Email;

/// <summary>
/// The weekly email's template model (docs/templates.md lists every variable), built from the payoff
/// report and the catalog only. Times are pre-formatted in the stack's time zone.
/// </summary>
internal static class WeeklyModel
{
    /// <param name="neverReceived">
    /// Per provider, events sent in the last 30 days that the inbox recovered from the provider's own log because they never
    /// arrived by webhook; <paramref name="connectionsUrl"/> is the hub's /connections page when Public:BaseUrl says where it is.
    /// </param>
    public static ScriptObject Build(StackReport report, StackDefinition stack, IsoWeek week,
        IReadOnlyList<(string Provider, long Count)>? neverReceived = null, string? connectionsUrl = null)
    {
        var zone = stack.TimeZone;
        var now = report.GeneratedAt;
        var since = now.AddDays(-7);
        var verified = Verified(report);
        var thisWeek = verified.Where(m => m.VerifiedAt > since).ToList();
        var active = report.Micromasteries.Where(m => m.Day >= 1 && (m.Day <= 7 || m.Payoff != PayoffStates.Verified)).ToList();
        var upcoming = report.Micromasteries.Where(m => m.Day < 1).ToList();
        var attention = report.Micromasteries.Where(m => m.Payoff != PayoffStates.Verified)
            .SelectMany(m => m.Checks.Select(c => (m, c, why: Attention(c)))).Where(x => x.why is not null).ToList();

        return Object(
            ("subject", Subject(week, thisWeek.Count, verified.Count)),
            ("week", Object(("key", week.Key), ("year", week.Year), ("number", week.Week),
                ("monday", Date(week.Monday)), ("from", Time(since, zone)), ("to", Time(now, zone)))),
            ("generated_at", Time(now, zone)),
            ("time_zone", zone.Id),
            ("stack", Object(("file", Path.GetFileName(report.StackFile)), ("count", report.Micromasteries.Count), ("errors", Strings(report.StackErrors)))),
            ("verified_this_week", Array(thisWeek, m => Item(m, stack.Find(m.Slug)?.Anatomy, zone, now))),
            ("disputed", Array(report.Micromasteries.Where(m => m.Disputed), m => Item(m, stack.Find(m.Slug)?.Anatomy, zone, now))),
            ("repeated_this_week", Array(report.Micromasteries.Where(m => m.Repeatability?.DemonstratedAt > since), m => Item(m, stack.Find(m.Slug)?.Anatomy, zone, now))),
            ("verified_this_week_count", thisWeek.Count),
            ("verified_total", verified.Count),
            ("verified", Array(verified, m => Item(m, stack.Find(m.Slug)?.Anatomy, zone, now))),
            ("active", Array(active, m => Item(m, stack.Find(m.Slug)?.Anatomy, zone, now))),
            ("upcoming", Array(upcoming, m => Item(m, stack.Find(m.Slug)?.Anatomy, zone, now))),
            ("attention", Array(attention, x => Object(
                ("slug", x.m.Slug), ("name", x.m.Name), ("check", x.c.Id), ("type", x.c.Type),
                ("state", x.why!.Value.State), ("message", x.c.Message), ("todo", x.why.Value.Todo)))),
            ("pace", Pace(report, zone, now)),
            ("never_received_by_webhook", Array((neverReceived ?? []).Where(n => n.Count > 0), n => Object(
                ("provider", n.Provider), ("count", n.Count),
                ("summary", $"{n.Provider} sent {Count((int)n.Count, "event")} in the last 30 days that never arrived by webhook (the hub recovered them from {n.Provider}'s own log): the webhook endpoint or secret may be wrong, or the hub was off.")))),
            ("connections_url", connectionsUrl));
    }

    /// <summary>The payoffs the email counts as verified. A disputed one is listed as disputed instead: the email must not say both.</summary>
    public static List<MicromasteryReport> Verified(StackReport report) =>
        report.Micromasteries.Where(m => m.VerifiedAt is not null && !m.Disputed).ToList();

    public static string Subject(StackReport report, IsoWeek week)
    {
        var verified = Verified(report);
        return Subject(week, verified.Count(m => m.VerifiedAt > report.GeneratedAt.AddDays(-7)), verified.Count);
    }

    public static string Subject(IsoWeek week, int thisWeek, int total) =>
        $"Micromastery week {week.Key}: {Count(thisWeek, "payoff")} verified this week, {total} in total";

    private static (string State, string Todo)? Attention(CheckReport check) => check.State switch
    {
        CheckStates.Holds => null,
        CheckStates.NotConfigured => (CheckStates.NotConfigured,
            $"{Capitalised(check.Message ?? "a setting is missing").TrimEnd('.')}, then run `dotnet run --project src/Micromastery.Hub -- config` to confirm."),
        CheckStates.Waiting => (CheckStates.Waiting,
            $"Nothing has arrived yet ({check.Message ?? "a webhook can prove it"}): the hub's Connections page shows the webhook URL to give the service."),
        CheckStates.Unknown => (CheckStates.Unknown,
            $"The service could not be asked{(check.Message is null ? "" : $" ({check.Message})")}. The hub retries with backoff; if this lasts, check the service's status page and the credentials with `dotnet run --project src/Micromastery.Hub -- config`."),
        // The report's staleness (two scheduled periods without an answer); webhook-only checks are never stale.
        _ when check.Stale => ("stale",
            $"Last asked {check.LastAttemptAt ?? check.LastSuccessAt:yyyy-MM-dd}: its poll stopped. Look at the recurring jobs in /hangfire and restart the hub if none runs."),
        _ => null,
    };

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static ScriptObject Pace(StackReport report, TimeZoneInfo zone, DateTimeOffset now)
    {
        var pace = report.Pace ?? Practice.Pace.Of(report.Micromasteries, [], zone, now);
        var (verifiedMonth, total, remaining) = (pace.VerifiedLast30Days, pace.VerifiedTotal, Math.Max(0, pace.StackMin - pace.VerifiedTotal));
        var range = $"{pace.MonthlyMin}–{pace.MonthlyMax}";
        var summary = pace.MonthlyStatus switch
        {
            "behind" => $"{Count(verifiedMonth, "payoff")} verified in the last 30 days: behind the seed's pace of {range} new micromasteries a month.",
            "ahead" => $"{Count(verifiedMonth, "payoff")} verified in the last 30 days: ahead of the seed's {range} a month. Keep each one repeatable before adding more.",
            _ => $"{Count(verifiedMonth, "payoff")} verified in the last 30 days: on the seed's pace of {range} a month.",
        };
        var stackSummary = remaining == 0
            ? $"{total} verified: a working stack ({pace.StackMin}–{pace.StackMax}). Replace the rest with no-code tools."
            : $"{total} of the {pace.StackMin}–{pace.StackMax} a working stack needs; {remaining} to go, about {Months(remaining, pace.MonthlyMax)}–{Months(remaining, pace.MonthlyMin)} months at the seed's pace.";
        // The email looks back over the seven days it covers, like its other news.
        var thisWeek = pace.Days.Where(d => d.Date > pace.Today.AddDays(-7)).ToList();
        var (minutes, blocks, days) = (thisWeek.Sum(d => d.Minutes), thisWeek.Sum(d => d.Blocks), thisWeek.Count(d => d.Minutes > 0));
        var practiceSummary = minutes == 0
            ? $"No practice logged this week. Log a session with `dotnet run --project src/Micromastery.Hub -- log <slug> <minutes>` or POST /api/practice."
            : $"Practice this week: {Duration(minutes)} on {Count(days, "day")}, {Count(blocks, "deep-work block")} of {pace.BlockMinutes} min (the seed asks {pace.BlocksPerDay} a day) · streak {Count(pace.StreakDays, "day")}.";
        return Object(
            ("verified_last_30_days", verifiedMonth),
            ("started_last_30_days", pace.StartedLast30Days),
            ("monthly_min", pace.MonthlyMin),
            ("monthly_max", pace.MonthlyMax),
            ("status", pace.MonthlyStatus),
            ("summary", summary),
            ("total_verified", total),
            ("stack_min", pace.StackMin),
            ("stack_max", pace.StackMax),
            ("stack_percent", Math.Min(100, total * 100 / pace.StackMin)),
            ("remaining", remaining),
            ("stack_summary", stackSummary),
            ("practice_minutes_this_week", minutes),
            ("practice_days_this_week", days),
            ("blocks_this_week", blocks),
            ("streak_days", pace.StreakDays),
            ("practice_summary", practiceSummary));
    }

    private static string Duration(int minutes) => minutes < 60 ? $"{minutes} min" : minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60} min";

    private static int Months(int remaining, int perMonth) => (remaining + perMonth - 1) / perMonth;

    internal static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
