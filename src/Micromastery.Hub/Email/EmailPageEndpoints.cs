using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;
using Micromastery.Hub.Ui;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Email;

/// <summary><c>/email</c>: this week's email as it will be sent, a Send now button, and the ledger of past sends.</summary>
internal static class EmailPageEndpoints
{
    // The email's own HTML carries inline styles (mail clients need them): its frame alone allows them, runs no script, and may be framed by the hub only.
    private const string PreviewPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox; frame-ancestors 'self'";

    public static IEndpointRouteBuilder MapEmailPage(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("/email").ExcludeFromDescription();
        page.MapGet("/", ShowAsync);
        page.MapGet("/preview.html", PreviewAsync);
        page.MapPost("/send", SendAsync);
        return app;
    }

    private static Task<RazorComponentResult<EmailPage>> ShowAsync(string? queued, HttpContext context, CancellationToken ct) =>
        RenderAsync(context, queued is { Length: > 0 } && IsoWeek.TryParse(queued, out var week)
            ? $"Send now: this week's email ({week.Key}) is queued and goes out in a moment, once to each recipient; reload to see it under Past sends."
            : null, null, StatusCodes.Status200OK, ct);

    private static async Task<ContentHttpResult> PreviewAsync(HttpContext context, WeeklyEmailRenderer renderer, CancellationToken ct)
    {
        string html;
        try
        {
            html = await renderer.RenderPartAsync(null, text: false, ct);
        }
        catch (TemplateException ex)
        {
            html = $"<p>The HTML template failed: {System.Net.WebUtility.HtmlEncode(ex.Message)}</p>";
        }

        context.Response.Headers.ContentSecurityPolicy = PreviewPolicy;
        context.Response.Headers.XFrameOptions = "SAMEORIGIN";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>Queues this week's send through <see cref="WeeklySendNow"/>, as the API does; the page then lists the sends.</summary>
    private static async Task<Results<RedirectHttpResult, RazorComponentResult<EmailPage>>> SendAsync(HttpContext context, WeeklySendNow sendNow, CancellationToken ct) =>
        sendNow.Queue(retakeFailed: false) is { } queued
            ? TypedResults.Redirect($"/email?queued={queued.Week.Key}#sends-title")
            : await RenderAsync(context, null, $"Nothing was sent: {WeeklySendNow.NotConfigured}.", StatusCodes.Status409Conflict, ct);

    private static async Task<RazorComponentResult<EmailPage>> RenderAsync(HttpContext context, string? notice, string? problem, int status, CancellationToken ct)
    {
        var services = context.RequestServices;
        var renderer = services.GetRequiredService<WeeklyEmailRenderer>();
        string? subject = null;
        string text;
        try
        {
            (subject, text) = await renderer.RenderPartWithSubjectAsync(null, text: true, ct);
        }
        catch (TemplateException ex)
        {
            text = $"The email's templates failed: {ex.Message}";
        }

        return OwnerPages.Render<EmailPage>(new Dictionary<string, object?>
        {
            [nameof(EmailPage.Week)] = renderer.CurrentWeek().Key,
            [nameof(EmailPage.Subject)] = subject,
            [nameof(EmailPage.Text)] = text,
            [nameof(EmailPage.Configured)] = services.GetRequiredService<IOptionsMonitor<EmailOptions>>().CurrentValue.IsConfigured,
            [nameof(EmailPage.Sends)] = await services.GetRequiredService<WeeklySendLedger>().ListAsync(null, ct),
            [nameof(EmailPage.Zone)] = services.GetRequiredService<StackStore>().Current.TimeZone,
            [nameof(EmailPage.Token)] = OwnerPages.Token(context),
            [nameof(EmailPage.Notice)] = notice,
            [nameof(EmailPage.Problem)] = problem,
        }, status);
    }
}
