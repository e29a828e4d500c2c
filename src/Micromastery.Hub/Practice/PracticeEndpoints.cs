using System.Globalization;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Micromastery.Hub.Practice;

/// <summary><c>/api/practice</c>: log, list, correct and delete practice sessions (the owner's).</summary>
internal static class PracticeEndpoints
{
    public static IEndpointRouteBuilder MapPractice(this IEndpointRouteBuilder app)
    {
        var practice = app.MapGroup("/api/practice").WithTags("Practice");
        practice.MapPost("/", AddAsync);
        practice.MapGet("/", ListAsync);
        practice.MapGet("/{id}", async Task<Results<Ok<PracticeSession>, ProblemHttpResult>> (string id, PracticeStore store, CancellationToken ct) =>
            await store.FindAsync(id, ct) is { } session ? TypedResults.Ok(session) : NotFound(id));
        practice.MapPut("/{id}", UpdateAsync);
        practice.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, PracticeStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id));
        return app;
    }

    private static async Task<Results<Created<PracticeSession>, Ok<PracticeSession>, ValidationProblem, ProblemHttpResult>> AddAsync(PracticeInput? input, PracticeLog log, PracticeStore store, CancellationToken ct)
    {
        if (input is null)
        {
            return Invalid("body", "send a JSON object with slug, minutes and optionally date or start, note, id");
        }

        var logged = await log.AddAsync(input, ct);
        return logged switch
        {
            { Session: null } => Invalid(logged.Field!, logged.Error!),
            { Write: PracticeWrite.Created } => TypedResults.Created($"/api/practice/{logged.Session.Id}", logged.Session),
            { Write: PracticeWrite.Replayed } => TypedResults.Ok(await store.FindAsync(logged.Session.Id, ct)),
            _ => Problems.Status(StatusCodes.Status409Conflict, "Conflict", $"{logged.Field}: {logged.Error}",
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [logged.Field!] = [logged.Error!] } }),
        };
    }

    private static async Task<Results<Ok<PracticeSession>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string id, PracticeInput? input, StackStore stack, PracticeStore store, TimeProvider clock, CancellationToken ct)
    {
        if (input is null)
        {
            return Invalid("body", "send the corrected session as a JSON object");
        }

        var (session, field, error) = input.Validate(stack.Current, clock.GetUtcNow(), idOverride: id);
        if (session is null)
        {
            return Invalid(field!, error!);
        }

        return await store.UpdateAsync(session, ct) && await store.FindAsync(id, ct) is { } updated ? TypedResults.Ok(updated) : NotFound(id);
    }

    private static async Task<Results<Ok<IReadOnlyList<PracticeSession>>, ValidationProblem>> ListAsync(string? from, string? to, string? slug, PracticeStore store, CancellationToken ct)
    {
        if (!TryDay(from, out var fromDay))
        {
            return Invalid("from", "'from' is a day as yyyy-MM-dd");
        }

        if (!TryDay(to, out var toDay))
        {
            return Invalid("to", "'to' is a day as yyyy-MM-dd");
        }

        return TypedResults.Ok(await store.ListAsync(fromDay, toDay, string.IsNullOrEmpty(slug) ? null : slug, ct));
    }

    private static bool TryDay(string? text, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            day = parsed;
            return true;
        }

        return false;
    }

    private static ValidationProblem Invalid(string field, string error) => Problems.Invalid(field, error);

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"no practice session '{id}'");
}
