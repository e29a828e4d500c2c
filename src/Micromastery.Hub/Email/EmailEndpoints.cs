using Micromastery.Hub.Templates;

namespace Micromastery.Hub.Email;

internal static class EmailEndpoints
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

    /// <summary>Queues this week's send now (<see cref="WeeklySendNow"/>); the exactly-once rule still holds. <c>?retryFailed=true</c> retries recipients that failed for good, after a fix.</summary>
    private static IResult Send(bool? retryFailed, WeeklySendNow sendNow) =>
        sendNow.Queue(retryFailed == true) is { } queued
            ? Results.Accepted($"/api/weekly/sends?week={queued.Week.Key}", new { week = queued.Week.Key, jobId = queued.JobId, status = $"/api/weekly/sends?week={queued.Week.Key}" })
            : Results.Json(new { error = WeeklySendNow.NotConfigured }, statusCode: StatusCodes.Status409Conflict);

    private static async Task<IResult> ListAsync(string? week, WeeklySendLedger ledger, CancellationToken ct) =>
        Results.Ok(await ledger.ListAsync(week, ct));
}
