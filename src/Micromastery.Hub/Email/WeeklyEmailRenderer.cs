using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;

namespace Micromastery.Hub.Email;

public sealed record RenderedEmail(IsoWeek Week, string Subject, string Html, string Text);

/// <summary>Renders this week's email from live data: the payoff report through weekly.html.sbn and weekly.txt.sbn.</summary>
public sealed class WeeklyEmailRenderer(PayoffReporter reporter, StackStore stack, TemplateRenderer templates, TimeProvider clock)
{
    public const string HtmlTemplate = "weekly.html.sbn";
    public const string TextTemplate = "weekly.txt.sbn";

    public IsoWeek CurrentWeek() => IsoWeek.Of(clock.GetUtcNow(), stack.Current.TimeZone);

    public async Task<RenderedEmail> RenderAsync(IsoWeek? week, CancellationToken cancellationToken)
    {
        var report = await reporter.BuildAsync(cancellationToken);
        return await RenderAsync(report, stack.Current, week ?? IsoWeek.Of(report.GeneratedAt, stack.Current.TimeZone), cancellationToken);
    }

    /// <summary>One part only (the preview): a broken HTML template does not hide the text part, and the reverse.</summary>
    public async Task<string> RenderPartAsync(IsoWeek? week, bool text, CancellationToken cancellationToken)
    {
        var report = await reporter.BuildAsync(cancellationToken);
        var model = WeeklyModel.Build(report, stack.Current, week ?? IsoWeek.Of(report.GeneratedAt, stack.Current.TimeZone));
        return await templates.RenderAsync(text ? TextTemplate : HtmlTemplate, model, cancellationToken);
    }

    /// <summary>Renders a given report; the benchmark and golden tests use it with fixed data.</summary>
    public async Task<RenderedEmail> RenderAsync(StackReport report, StackDefinition definition, IsoWeek week, CancellationToken cancellationToken)
    {
        // Each template gets its own model: a rendering can never see another's leftovers.
        var html = await templates.RenderAsync(HtmlTemplate, WeeklyModel.Build(report, definition, week), cancellationToken);
        var text = await templates.RenderAsync(TextTemplate, WeeklyModel.Build(report, definition, week), cancellationToken);
        var subject = WeeklyModel.Subject(report, week);
        return new RenderedEmail(week, subject, html, text);
    }
}
