using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

internal static class PayoffEndpoints
{
    public static IEndpointRouteBuilder MapPayoffs(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/micromasteries/{slug}/evidence", RecordAsync).WithTags("Payoffs");
        app.MapGet("/api/micromasteries/{slug}/evidence", EvidenceAsync).WithTags("Payoffs");
        app.MapPost("/api/micromasteries/{slug}/reconfirm", ReconfirmAsync).WithTags("Payoffs");
        return app;
    }

    /// <summary>Default page size of <c>GET /api/micromasteries/{slug}/evidence</c>.</summary>
    public const int DefaultPage = 50;

    /// <summary>A page of the evidence, newest first; <c>next</c> is the <c>before</c> of the next, older page.</summary>
    private static async Task<Results<Ok<EvidencePage>, NotFound<ProblemDetails>, ValidationProblem>> EvidenceAsync(
        string slug, string? before, int? limit, StackStore stack, PayoffReporter reporter, CancellationToken ct)
    {
        if (stack.Current.Find(slug) is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "Not found", Status = StatusCodes.Status404NotFound, Detail = $"no micromastery '{slug}' in the stack" });
        }

        if (limit is < 1 or > PayoffReporter.MaxPage)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit is 1 to {PayoffReporter.MaxPage}"] });
        }

        return await reporter.EvidenceAsync(slug, before, limit ?? DefaultPage, ct) is { } page
            ? TypedResults.Ok(page)
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["before"] = ["'before' is the 'next' value of a previous page"] });
    }

    /// <summary>Re-confirms the micromastery's evidence at its sources now; a source that cannot be asked answers unknown (the recurring job retries).</summary>
    private static async Task<IResult> ReconfirmAsync(string slug, Reconfirmer reconfirmer, CancellationToken ct) =>
        await reconfirmer.RunAsync(slug, ct) is { } result
            ? Results.Ok(new { result.Slug, Answers = result.Answers.Select(a => new { a.Source, a.ExternalId, a.State, a.Detail }) })
            : Results.NotFound(new { error = $"no micromastery '{slug}' in the stack" });

    private static async Task<IResult> RecordAsync(string slug, ManualEvidence? body, ManualEvidenceRecorder recorder, CancellationToken ct) =>
        await recorder.RecordAsync(slug, body, ct) switch
        {
            { Error: { } error } => Results.BadRequest(new { error }),
            { CheckId: { } check } result => Results.Ok(new { slug, check, verifiedNow = result.VerifiedNow }),
            _ => Results.NotFound(new { error = $"no micromastery '{slug}' in the stack" }),
        };
}
