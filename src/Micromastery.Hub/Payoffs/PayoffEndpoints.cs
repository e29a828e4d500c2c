using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;
using Microsoft.AspNetCore.Http.HttpResults;

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
    private static async Task<Results<Ok<EvidencePage>, ProblemHttpResult, ValidationProblem>> EvidenceAsync(
        string slug, string? before, int? limit, StackStore stack, PayoffReporter reporter, CancellationToken ct)
    {
        if (stack.Current.Find(slug) is null)
        {
            return NoSuchMicromastery(slug);
        }

        if (limit is < 1 or > PayoffReporter.MaxPage)
        {
            return Problems.Invalid("limit", $"limit is 1 to {PayoffReporter.MaxPage}");
        }

        return await reporter.EvidenceAsync(slug, before, limit ?? DefaultPage, ct) is { } page
            ? TypedResults.Ok(page)
            : Problems.Invalid("before", "'before' is the 'next' value of a previous page");
    }

    /// <summary>Re-confirms the micromastery's evidence at its sources now; a source that cannot be asked answers unknown (the recurring job retries).</summary>
    private static async Task<Results<Ok<Reconfirmed>, ProblemHttpResult>> ReconfirmAsync(string slug, Reconfirmer reconfirmer, CancellationToken ct) =>
        await reconfirmer.RunAsync(slug, ct) is { } result
            ? TypedResults.Ok(new Reconfirmed(result.Slug, [.. result.Answers.Select(a => new ReconfirmedAnswer(a.Source, a.ExternalId, a.State, a.Detail))]))
            : NoSuchMicromastery(slug);

    private static async Task<Results<Ok<EvidenceRecorded>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        string slug, ManualEvidence? body, ManualEvidenceRecorder recorder, CancellationToken ct) =>
        await recorder.RecordAsync(slug, body, ct) switch
        {
            { Error: { } error, Field: var field } => Problems.Invalid(field ?? "body", error),
            { CheckId: { } check } result => TypedResults.Ok(new EvidenceRecorded(slug, check, result.VerifiedNow)),
            _ => NoSuchMicromastery(slug),
        };

    private static ProblemHttpResult NoSuchMicromastery(string slug) => Problems.NotFound($"no micromastery '{slug}' in the stack");

    /// <summary>The answer of <c>POST …/reconfirm</c>: each piece of evidence and what its source says now.</summary>
    internal sealed record Reconfirmed(string Slug, IReadOnlyList<ReconfirmedAnswer> Answers);

    internal sealed record ReconfirmedAnswer(string Source, string ExternalId, string State, string? Detail);

    /// <summary>The answer of <c>POST …/evidence</c>.</summary>
    internal sealed record EvidenceRecorded(string Slug, string Check, bool VerifiedNow);
}
