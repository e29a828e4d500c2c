using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;
using Micromastery.Hub.Ui;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Email;

/// <summary><c>/email</c>: this week's email as it will be sent, a Send now button, and the ledger of past sends.</summary>
public static class EmailPageEndpoints
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

    private static Task<IResult> ShowAsync(string? outcome, HttpContext context, CancellationToken ct) =>
        RenderAsync(context, Summary(outcome), null, StatusCodes.Status200OK, ct);

    private static async Task<IResult> PreviewAsync(HttpContext context, WeeklyEmailRenderer renderer, CancellationToken ct)
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
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>Sends now, through the same ledger as the weekly job: what it answers per recipient comes back to the page.</summary>
    private static async Task<IResult> SendAsync(HttpContext context, WeeklySender sender, WeeklyEmailRenderer renderer, CancellationToken ct)
    {
        IReadOnlyList<RecipientResult> results;
        try
        {
            results = await sender.SendWeekAsync(renderer.CurrentWeek(), retakeFailed: false, ct);
        }
        catch (Exception ex) when (ex is WeeklyEmailStoppedException or TemplateException)
        {
            return await RenderAsync(context, null, $"Nothing was sent: {ex.Message}", StatusCodes.Status409Conflict, ct);
        }

        var outcomes = string.Join(',', results.Select(r => r.Outcome).Distinct());
        return Results.Redirect($"/email?outcome={outcomes}");
    }

    private static string? Summary(string? outcome)
    {
        if (string.IsNullOrEmpty(outcome))
        {
            return null;
        }

        var words = outcome.Split(',').Select(o => Enum.TryParse<SendOutcome>(o, out var parsed) ? parsed : (SendOutcome?)null).OfType<SendOutcome>().Select(o => o switch
        {
            SendOutcome.Sent => "sent",
            SendOutcome.AlreadySent => "already sent this week, so not sent again",
            SendOutcome.OwnedElsewhere => "being sent by another hub process",
            SendOutcome.Retrying => "not delivered yet: the send is retried",
            SendOutcome.Failed => "failed (see the error below)",
            _ => "handed to the mail server, but its answer was lost: not resent, see below",
        }).Distinct().ToList();
        return words.Count == 0 ? null : "Send now: " + string.Join("; ", words) + ".";
    }

    private static async Task<IResult> RenderAsync(HttpContext context, string? notice, string? problem, int status, CancellationToken ct)
    {
        var services = context.RequestServices;
        var renderer = services.GetRequiredService<WeeklyEmailRenderer>();
        string? subject = null;
        string text;
        try
        {
            var email = await renderer.RenderAsync(null, ct);
            (subject, text) = (email.Subject, email.Text);
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
