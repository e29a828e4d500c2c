using System.Globalization;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Scriban.Runtime;
using static Micromastery.Hub.Templates.ScriptModel;

namespace Micromastery.Hub.Templates;

/// <summary>
/// The report as templates see it — a micromastery, its checks and evidence, dates and times in the stack's
/// time zone — shared by the weekly email and the case-study draft so both name things alike.
/// </summary>
internal static class ReportScript
{
    public static ScriptObject Item(MicromasteryReport m, Anatomy? anatomy, TimeZoneInfo zone, DateTimeOffset now) => Object(
        ("slug", m.Slug),
        ("name", m.Name),
        ("layer", m.Layer),
        ("layer_title", m.LayerTitle),
        ("staple", m.Staple),
        ("started", Date(m.Started)),
        ("day", m.Day),
        ("phase", m.Phase),
        ("asks", m.Asks),
        ("payoff", m.Payoff),
        ("verified_at", m.VerifiedAt is { } at ? Time(at, zone) : null),
        ("disputed", m.Disputed),
        ("checks", Array(m.Checks, c => Object(
            ("id", c.Id), ("type", c.Type), ("state", c.State), ("message", c.Message),
            ("last_attempt_at", c.LastAttemptAt is { } a ? Time(a, zone) : null),
            ("last_success_at", c.LastSuccessAt is { } s ? Time(s, zone) : null)))),
        ("evidence", Evidence(m.Evidence, zone)),
        ("practice", m.Practice is { } p
            ? Object(("minutes", p.Minutes), ("plan_minutes", p.PlanMinutes), ("plan_days_practised", p.PlanDaysPractised), ("plan_day_reached", p.PlanDayReached),
                ("last_practised", p.LastPractised is { } last ? Date(last) : null))
            : Object(("minutes", 0), ("plan_minutes", Practice.Pace.PlanMinutes), ("plan_days_practised", 0), ("plan_day_reached", null), ("last_practised", null))),
        ("repeatability", Object(
            ("state", m.Repeatability?.State ?? RepeatabilityStates.NotYet),
            ("demonstrated_at", m.Repeatability?.DemonstratedAt is { } shown ? Time(shown, zone) : null),
            ("contexts", Strings(m.Repeatability?.Contexts.Select(c => c.Context) ?? [])),
            ("what_counts", m.Repeatability?.WhatCounts))),
        ("next_step", NextStep.For(m, anatomy)));

    public static ScriptArray Evidence(IEnumerable<EvidenceItem> items, TimeZoneInfo zone) => Array(items, e => Object(
        ("check", e.CheckId), ("source", e.Source), ("external_id", e.ExternalId), ("observed_at", Time(e.ObservedAt, zone)), ("url", Ui.WebLink.Http(e.Url)), ("url_text", e.Url),
        ("prior", e.Prior), ("recheck", e.Recheck), ("recheck_detail", e.RecheckDetail),
        ("last_confirmed_at", e.LastConfirmedAt is { } confirmed ? Time(confirmed, zone) : null)));

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
