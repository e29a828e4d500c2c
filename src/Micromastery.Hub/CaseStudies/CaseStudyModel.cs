using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Scriban.Runtime;
using static Micromastery.Hub.Templates.ReportScript;
using static Micromastery.Hub.Templates.ScriptModel;

namespace Micromastery.Hub.CaseStudies;

/// <summary>The case-study template's model (docs/templates.md): the seed's day 6, from the payoff report and the catalog.</summary>
internal static class CaseStudyModel
{
    /// <param name="zone">The micromastery's own time zone: its plan days, and so its days to payoff, are counted in it.</param>
    /// <param name="planEvidence">The evidence of the seven plan days; null takes it from the report's own items.</param>
    public static ScriptObject Build(MicromasteryReport m, Anatomy? anatomy, TimeZoneInfo zone, DateTimeOffset now, IReadOnlyList<Practice.PracticeSession>? practice = null,
        IReadOnlyList<EvidenceItem>? planEvidence = null)
    {
        var localDay = (DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        var verifiedDay = SevenDayPlan.DaysToPayoff(m.Started, zone, m.VerifiedAt);
        var timeline = Enumerable.Range(1, 7).Select(day =>
        {
            var date = m.Started.AddDays(day - 1);
            var sessions = (practice ?? []).Where(p => p.Date == date).ToList();
            return Object(
                ("practice_minutes", sessions.Sum(p => p.Minutes)),
                ("practice", Array(sessions, p => Object(("minutes", p.Minutes), ("note", p.Note)))),
                ("day", day),
                ("date", Date(date)),
                ("phase", SevenDayPlan.Days[day - 1].Phase),
                ("asks", SevenDayPlan.Days[day - 1].Asks),
                ("evidence", Evidence((planEvidence ?? m.Evidence).Where(e => localDay(e.ObservedAt) == date), zone)),
                ("verified_here", verifiedDay == day));
        });
        var lastPlanDay = m.Started.AddDays(6);
        var inPlan = planEvidence?.Count ?? m.Evidence.Count(e => localDay(e.ObservedAt) >= m.Started && localDay(e.ObservedAt) <= lastPlanDay);
        var total = Math.Max(m.EvidenceCount, m.Evidence.Count);

        return Object(
            ("micromastery", Item(m, anatomy, zone, now)),
            ("days_to_payoff", verifiedDay),
            ("anatomy", Object(
                ("known", anatomy is not null),
                ("entry_trick", anatomy?.EntryTrick),
                ("rub_of_reality", anatomy?.RubOfReality),
                ("background_support", anatomy?.BackgroundSupport),
                ("payoff", anatomy?.Payoff),
                ("repeatability", anatomy?.Repeatability),
                ("experimental_path", anatomy?.ExperimentalPath))),
            ("evidence", Evidence(m.Evidence, zone)),
            ("evidence_count", total),
            ("evidence_outside_count", Math.Max(0, total - inPlan)),
            ("timeline", Array(timeline, t => t)),
            ("evidence_before", Evidence(m.Evidence.Where(e => localDay(e.ObservedAt) < m.Started), zone)),
            ("evidence_after", Evidence(m.Evidence.Where(e => localDay(e.ObservedAt) > lastPlanDay), zone)),
            ("generated_at", Time(now, zone)));
    }
}
