using Micromastery.Hub.Templates;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Email;

public static class EmailEndpoints
{
    public static IEndpointRouteBuilder MapEmail(this IEndpointRouteBuilder app)
    {
        // The email shows the user's whole stack: operators only, like sending it.
        var weekly = app.MapGroup("/api/weekly").WithTags("Weekly email");
        weekly.MapGet("/preview", PreviewAsync);
        weekly.MapPost("/send", Send);
        weekly.MapGet("/sends", ListAsync);
        return app;
    }

    private static async Task<IResult> PreviewAsync(string? format, string? week, WeeklyEmailRenderer renderer, CancellationToken ct)
    {
        IsoWeek? isoWeek = null;
        if (week is not null)
        {
            if (!IsoWeek.TryParse(week, out var parsed))
            {
                return Results.BadRequest(new { error = $"'{week}' is not an ISO week like 2026-W48" });
            }

            isoWeek = parsed;
        }

        try
        {
            var text = format is "text" or "txt";
            var body = await renderer.RenderPartAsync(isoWeek, text, ct);
            return Results.Text(body, text ? "text/plain; charset=utf-8" : "text/html; charset=utf-8");
        }
        catch (TemplateException ex)
        {
            return Results.Json(ex.ToProblem(), statusCode: StatusCodes.Status422UnprocessableEntity);
        }
    }

    /// <summary>Enqueues this week's send now; the exactly-once rule still holds. <c>?retryFailed=true</c> retries recipients that failed for good, after a fix.</summary>
    private static IResult Send(bool? retryFailed, WeeklyEmailJob job, WeeklyEmailRenderer renderer, IOptionsMonitor<EmailOptions> options)
    {
        if (!options.CurrentValue.IsConfigured)
        {
            return Results.Json(new { error = "the weekly email is not configured: set Email:Smtp:Host, Email:From and Email:To" }, statusCode: StatusCodes.Status409Conflict);
        }

        var week = renderer.CurrentWeek();
        var jobId = job.Enqueue(week, retryFailed == true);
        return Results.Accepted($"/api/weekly/sends?week={week.Key}", new { week = week.Key, jobId, status = $"/api/weekly/sends?week={week.Key}" });
    }

    private static async Task<IResult> ListAsync(string? week, WeeklySendLedger ledger, CancellationToken ct) =>
        Results.Ok(await ledger.ListAsync(week, ct));
}
