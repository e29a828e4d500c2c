using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Practice;

/// <summary>One micromastery's practice against the seed's 7 × 90 minutes.</summary>
/// <param name="PlanDaysPractised">How many of the seven plan days have practice logged.</param>
/// <param name="PlanDayReached">The latest plan day (1–7) with practice, if any.</param>
public sealed record PracticeSummary(int Minutes, int PlanMinutes, int PlanDaysPractised, int? PlanDayReached, DateOnly? LastPractised);

/// <summary>One day of the last 52 weeks: what the heatmap draws.</summary>
public sealed record PaceDay(DateOnly Date, int Minutes, int Blocks, int Evidence, int Verified);

/// <summary>The stack's pace against the seed, in the stack's time zone (docs/practice.md).</summary>
public sealed record PaceReport(
    DateOnly Today,
    int MinutesToday,
    int BlocksToday,
    int BlocksPerDay,
    int BlockMinutes,
    int StreakDays,
    int StartedLast30Days,
    int VerifiedLast30Days,
    int MonthlyMin,
    int MonthlyMax,
    string MonthlyStatus,
    int VerifiedTotal,
    int StackMin,
    int StackMax,
    IReadOnlyList<PaceDay> Days);

/// <summary>A day's practice of one micromastery, as the store sums it.</summary>
internal sealed record PracticeDayTotal(string Slug, DateOnly Date, int Minutes, int Blocks);

/// <summary>
/// The seed's targets and the arithmetic against them — the one place the API, the email, the draft and the
/// UI get pace from: 7 days × 90 minutes per micromastery, 2 deep-work blocks of 90 minutes a day, 2–3 new
/// micromasteries a month, 10–12 for a working stack.
/// </summary>
internal static class Pace
{
    public const int PlanDays = 7, DayMinutes = 90, BlocksPerDay = 2, MonthlyMin = 2, MonthlyMax = 3, StackMin = 10, StackMax = 12;

    public const int PlanMinutes = PlanDays * DayMinutes;

    /// <summary>The period the monthly pace measures, in days.</summary>
    public const int MonthDays = 30;

    /// <summary>The monthly status before a whole period has passed since the first micromastery started: nobody is behind on day 1.</summary>
    public const string TooEarly = "too early to tell";

    /// <summary>Weeks the per-day series covers (weeks as the heatmap's columns, Monday first).</summary>
    public const int Weeks = 52;

    /// <summary>The first day of the per-day series (a Monday, <see cref="Weeks"/> weeks back).</summary>
    public static DateOnly SeriesStart(DateOnly today) => today.AddDays(-(((int)today.DayOfWeek + 6) % 7)).AddDays(-7 * (Weeks - 1));

    public static PracticeSummary For(MicromasteryReport m, IEnumerable<PracticeDayTotal> days)
    {
        var own = days.Where(d => d.Slug == m.Slug).ToList();
        var planDays = own.Select(d => d.Date.DayNumber - m.Started.DayNumber + 1).Where(day => day is >= 1 and <= PlanDays).Distinct().ToList();
        return new PracticeSummary(own.Sum(d => d.Minutes), PlanMinutes, planDays.Count, planDays.Count == 0 ? null : planDays.Max(),
            own.Count == 0 ? null : own.Max(d => d.Date));
    }

    /// <summary>From the summaries: everything practised in all, and the days of the seven-day plan.</summary>
    public static PracticeSummary For(MicromasteryReport m, PracticeTotal? total, IEnumerable<PracticeDayTotal> planDays)
    {
        var days = planDays.Where(d => d.Slug == m.Slug && d.Minutes > 0).Select(d => d.Date.DayNumber - m.Started.DayNumber + 1).Where(day => day is >= 1 and <= PlanDays).Distinct().ToList();
        return new PracticeSummary(total?.Minutes ?? 0, PlanMinutes, days.Count, days.Count == 0 ? null : days.Max(), total?.LastPractised);
    }

    /// <param name="practice">Practice per micromastery and day; the series and the streak look back <see cref="Weeks"/> weeks at most.</param>
    /// <param name="evidencePerDay">Evidence per day from the summaries; null counts the reports' own evidence items.</param>
    public static PaceReport Of(IReadOnlyList<MicromasteryReport> micromasteries, IReadOnlyList<PracticeDayTotal> practice, TimeZoneInfo zone, DateTimeOffset now,
        IReadOnlyDictionary<DateOnly, int>? evidencePerDay = null)
    {
        DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        var today = Day(now);
        var monthAgo = now.AddDays(-MonthDays);
        // A disputed payoff no longer counts as verified anywhere the owner reads a count.
        var verifiedMonth = micromasteries.Count(m => m.VerifiedAt > monthAgo && !m.Disputed);
        var startedMonth = micromasteries.Count(m => m.Started <= today && m.Started > today.AddDays(-MonthDays));
        var verifiedTotal = micromasteries.Count(m => m.VerifiedAt is not null && !m.Disputed);

        var byDay = practice.GroupBy(p => p.Date).ToDictionary(g => g.Key, g => (Minutes: g.Sum(p => p.Minutes), Blocks: g.Sum(p => p.Blocks)));
        var evidence = evidencePerDay ?? micromasteries.SelectMany(m => m.Evidence).GroupBy(e => Day(e.ObservedAt)).ToDictionary(g => g.Key, g => g.Count());
        var verified = micromasteries.Where(m => m.VerifiedAt is not null && !m.Disputed).GroupBy(m => Day(m.VerifiedAt!.Value)).ToDictionary(g => g.Key, g => g.Count());

        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var first = monday.AddDays(-7 * (Weeks - 1));
        var series = new List<PaceDay>();
        for (var day = first; day <= today; day = day.AddDays(1))
        {
            var practised = byDay.GetValueOrDefault(day);
            series.Add(new PaceDay(day, practised.Minutes, practised.Blocks, evidence.GetValueOrDefault(day), verified.GetValueOrDefault(day)));
        }

        // A streak is unbroken until the day is over: with nothing logged yet today, it counts up to yesterday.
        var streak = 0;
        for (var day = byDay.ContainsKey(today) ? today : today.AddDays(-1); byDay.ContainsKey(day); day = day.AddDays(-1))
        {
            streak++;
        }

        var todays = byDay.GetValueOrDefault(today);
        var measured = micromasteries.Count > 0 && today.DayNumber - micromasteries.Min(m => m.Started).DayNumber >= MonthDays;
        var status = verifiedMonth > MonthlyMax ? "ahead"
            : verifiedMonth >= MonthlyMin ? "on pace"
            : measured ? "behind"
            : TooEarly;
        return new PaceReport(today, todays.Minutes, todays.Blocks, BlocksPerDay, DayMinutes, streak, startedMonth, verifiedMonth,
            MonthlyMin, MonthlyMax, status, verifiedTotal, StackMin, StackMax, series);
    }
}
