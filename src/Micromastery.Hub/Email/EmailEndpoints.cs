using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Templates;
using Microsoft.AspNetCore.Http.HttpResults;

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

    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> PreviewAsync(string? format, string? week, WeeklyEmailRenderer renderer, CancellationToken ct)
    {
        IsoWeek? isoWeek = null;
        if (week is not null)
        {
            if (!IsoWeek.TryParse(week, out var parsed))
            {
                return Problems.Invalid("week", $"'{week}' is not an ISO week like 2026-W48");
            }

            isoWeek = parsed;
        }

        try
        {
            var text = format is "text" or "txt";
            var body = await renderer.RenderPartAsync(isoWeek, text, ct);
            return TypedResults.Text(body, text ? "text/plain; charset=utf-8" : "text/html; charset=utf-8");
        }
        catch (TemplateException ex)
        {
            return ex.ToProblem();
        }
    }

    /// <summary>Queues this week's send now (<see cref="WeeklySendNow"/>); the exactly-once rule still holds. <c>?retryFailed=true</c> retries recipients that failed for good, after a fix.</summary>
    private static Results<Accepted<SendQueued>, ProblemHttpResult> Send(bool? retryFailed, WeeklySendNow sendNow) =>
        sendNow.Queue(retryFailed == true) is { } queued
            ? TypedResults.Accepted($"/api/weekly/sends?week={queued.Week.Key}", new SendQueued(queued.Week.Key, queued.JobId, $"/api/weekly/sends?week={queued.Week.Key}"))
            : Problems.Status(StatusCodes.Status409Conflict, "Not configured", WeeklySendNow.NotConfigured);

    private static async Task<Ok<IReadOnlyList<WeeklySendRecord>>> ListAsync(string? week, WeeklySendLedger ledger, CancellationToken ct) =>
        TypedResults.Ok(await ledger.ListAsync(week, ct));

    /// <summary>The answer of <c>POST /api/weekly/send</c>: the week, its job, and where to follow it.</summary>
    internal sealed record SendQueued(string Week, string JobId, string Status);
}
