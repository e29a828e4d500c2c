using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;

namespace Micromastery.Hub.CaseStudies;

/// <summary>Renders a micromastery's case study (case-study.md.sbn) from live data.</summary>
internal sealed class CaseStudyRenderer(PayoffReporter reporter, StackStore stack, TemplateRenderer templates, Practice.PracticeStore practice)
{
    public const string Template = "case-study.md.sbn";

    /// <summary>Evidence items a draft lists: the newest (the model says how many there are in all).</summary>
    public const int NewestEvidence = 50;

    /// <summary>Most evidence items a draft shows for one plan day.</summary>
    public const int PerPlanDay = 20;

    /// <summary>The Markdown, or null when the stack has no such micromastery.</summary>
    public async Task<string?> RenderAsync(string slug, CancellationToken cancellationToken)
    {
        var report = await reporter.BuildAsync(slug, NewestEvidence, cancellationToken);
        return report.Micromasteries.FirstOrDefault(m => string.Equals(m.Slug, slug, StringComparison.Ordinal)) is { } m
            ? await RenderAsync(m, stack.Current.Find(m.Slug)?.Anatomy, ZoneOf(m.Slug), report.GeneratedAt, cancellationToken)
            : null;
    }

    /// <summary>The Markdown and the <see cref="DraftFacts"/> it tells, or null when the stack has no such micromastery.</summary>
    public async Task<(string Markdown, string Facts)?> RenderDraftAsync(string slug, CancellationToken cancellationToken)
    {
        var report = await reporter.BuildAsync(cancellationToken);
        return report.Micromasteries.FirstOrDefault(m => string.Equals(m.Slug, slug, StringComparison.Ordinal)) is { } m
            ? (await RenderAsync(m, stack.Current.Find(m.Slug)?.Anatomy, ZoneOf(m.Slug), report.GeneratedAt, cancellationToken), DraftFacts.Of(m))
            : null;
    }

    /// <summary>The micromastery's own time zone (its entry's <c>timeZone</c>, else the stack's): the draft's days are its plan days, as on the public page.</summary>
    private TimeZoneInfo ZoneOf(string slug) => stack.Current.Find(slug)?.TimeZone ?? stack.Current.TimeZone;

    public async Task<string> RenderAsync(MicromasteryReport m, Anatomy? anatomy, TimeZoneInfo zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The seven days' practice log: what was done each day, beside the day's proof (read by its time range, not from all the evidence).
        var sessions = await practice.ListAsync(m.Started, m.Started.AddDays(6), m.Slug, cancellationToken);
        var first = Stack.PracticeWindow.StartOf(m.Started, zone);
        var planEvidence = await reporter.EvidenceBetweenAsync(m.Slug, first, Stack.PracticeWindow.StartOf(m.Started.AddDays(7), zone), 7 * PerPlanDay, cancellationToken);
        return await templates.RenderAsync(Template, CaseStudyModel.Build(m, anatomy, zone, now, sessions, planEvidence), cancellationToken);
    }
}
