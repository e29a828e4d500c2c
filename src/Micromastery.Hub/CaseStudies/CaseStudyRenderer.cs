using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;

namespace Micromastery.Hub.CaseStudies;

/// <summary>Renders a micromastery's case study (case-study.md.sbn) from live data.</summary>
public sealed class CaseStudyRenderer(PayoffReporter reporter, StackStore stack, TemplateRenderer templates, Practice.PracticeStore practice)
{
    public const string Template = "case-study.md.sbn";

    /// <summary>The Markdown, or null when the stack has no such micromastery.</summary>
    public async Task<string?> RenderAsync(string slug, CancellationToken cancellationToken)
    {
        var report = await reporter.BuildAsync(cancellationToken);
        return report.Micromasteries.FirstOrDefault(m => string.Equals(m.Slug, slug, StringComparison.Ordinal)) is { } m
            ? await RenderAsync(m, stack.Current.Find(m.Slug)?.Anatomy, stack.Current.TimeZone, report.GeneratedAt, cancellationToken)
            : null;
    }

    /// <summary>The Markdown and the <see cref="DraftFacts"/> it tells, or null when the stack has no such micromastery.</summary>
    public async Task<(string Markdown, string Facts)?> RenderDraftAsync(string slug, CancellationToken cancellationToken)
    {
        var report = await reporter.BuildAsync(cancellationToken);
        return report.Micromasteries.FirstOrDefault(m => string.Equals(m.Slug, slug, StringComparison.Ordinal)) is { } m
            ? (await RenderAsync(m, stack.Current.Find(m.Slug)?.Anatomy, stack.Current.TimeZone, report.GeneratedAt, cancellationToken), DraftFacts.Of(m))
            : null;
    }

    public async Task<string> RenderAsync(MicromasteryReport m, Anatomy? anatomy, TimeZoneInfo zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The seven days' practice log: what was done each day, beside the day's proof.
        var sessions = await practice.ListAsync(m.Started, m.Started.AddDays(6), m.Slug, cancellationToken);
        return await templates.RenderAsync(Template, CaseStudyModel.Build(m, anatomy, zone, now, sessions), cancellationToken);
    }
}
