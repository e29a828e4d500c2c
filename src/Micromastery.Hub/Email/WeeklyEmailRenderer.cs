using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Email;

internal sealed record RenderedEmail(IsoWeek Week, string Subject, string Html, string Text);

/// <summary>Renders this week's email from live data: the payoff report through weekly.html.sbn and weekly.txt.sbn.</summary>
internal sealed class WeeklyEmailRenderer(PayoffReporter reporter, StackStore stack, TemplateRenderer templates, TimeProvider clock,
    InboxStore inbox, IEnumerable<IProviderEventLog> logs, IEnumerable<IProvider> providers, IOptionsMonitor<PublicOptions> publicOptions)
{
    public const string HtmlTemplate = "weekly.html.sbn";
    public const string TextTemplate = "weekly.txt.sbn";

    public IsoWeek CurrentWeek() => IsoWeek.Of(clock.GetUtcNow(), stack.Current.TimeZone);

    public async Task<RenderedEmail> RenderAsync(IsoWeek? week, CancellationToken cancellationToken)
    {
        var report = await ReportAsync(cancellationToken);
        return await RenderAsync(report, stack.Current, week ?? IsoWeek.Of(report.GeneratedAt, stack.Current.TimeZone), await NeverReceivedAsync(cancellationToken), cancellationToken);
    }

    /// <summary>One part only (the preview): a broken HTML template does not hide the text part, and the reverse.</summary>
    public async Task<string> RenderPartAsync(IsoWeek? week, bool text, CancellationToken cancellationToken) =>
        (await RenderPartWithSubjectAsync(week, text, cancellationToken)).Body;

    /// <summary>One part and the subject: the owner's page shows the text and the subject (the HTML is its own preview).</summary>
    public async Task<(string Subject, string Body)> RenderPartWithSubjectAsync(IsoWeek? week, bool text, CancellationToken cancellationToken)
    {
        var report = await ReportAsync(cancellationToken);
        var at = week ?? IsoWeek.Of(report.GeneratedAt, stack.Current.TimeZone);
        var model = WeeklyModel.Build(report, stack.Current, at, await NeverReceivedAsync(cancellationToken), ConnectionsUrl);
        return (WeeklyModel.Subject(report, at), await templates.RenderAsync(text ? TextTemplate : HtmlTemplate, model, cancellationToken));
    }

    private Task<StackReport> ReportAsync(CancellationToken cancellationToken) => reporter.BuildAsync(cancellationToken);

    /// <summary>Renders a given report; the benchmark and golden tests use it with fixed data.</summary>
    public Task<RenderedEmail> RenderAsync(StackReport report, StackDefinition definition, IsoWeek week, CancellationToken cancellationToken) =>
        RenderAsync(report, definition, week, null, cancellationToken);

    private async Task<RenderedEmail> RenderAsync(StackReport report, StackDefinition definition, IsoWeek week,
        IReadOnlyList<(string Provider, long Count)>? neverReceived, CancellationToken cancellationToken)
    {
        // Each template gets its own model: a rendering can never see another's leftovers.
        var html = await templates.RenderAsync(HtmlTemplate, WeeklyModel.Build(report, definition, week, neverReceived, ConnectionsUrl), cancellationToken);
        var text = await templates.RenderAsync(TextTemplate, WeeklyModel.Build(report, definition, week, neverReceived, ConnectionsUrl), cancellationToken);
        var subject = WeeklyModel.Subject(report, week);
        return new RenderedEmail(week, subject, html, text);
    }

    private string? ConnectionsUrl => publicOptions.CurrentValue.Absolute("/connections");

    /// <summary>Per provider whose log the hub asks, the events of the last 30 days that never arrived by webhook.</summary>
    private async Task<IReadOnlyList<(string Provider, long Count)>> NeverReceivedAsync(CancellationToken cancellationToken)
    {
        var recovered = await inbox.RecoveredSinceAsync(clock.GetUtcNow() - Connections.ConnectionsReader.MissedWindow, cancellationToken);
        return [.. logs.Select(l => (providers.FirstOrDefault(p => p.Name == l.Provider)?.DisplayName ?? l.Provider, recovered.GetValueOrDefault(l.Provider)))];
    }
}
