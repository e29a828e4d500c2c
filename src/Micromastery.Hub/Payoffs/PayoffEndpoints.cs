using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

public static class PayoffEndpoints
{
    /// <param name="Context">Where the payoff was reached (a customer, a product): two contexts make repeatability.</param>
    /// <param name="Key">An idempotency key (1–64 letters, digits, '-' or '_'): the same key again records nothing new.</param>
    public sealed record ManualEvidence(string? Check, string? Url, string? Note, string? Context = null, string? Key = null)
    {
        public const int MaxKeyLength = 64;

        public const int MaxContextLength = 200;

        /// <summary>Longest note kept: a paragraph saying what was shown; longer proof belongs behind a link.</summary>
        public const int MaxNoteLength = 2000;
    }

    /// <summary>The manual check the evidence is for, or why the evidence is refused (the API and the page ask the same).</summary>
    /// <summary>Records checked manual evidence in one ledger batch; the API and the micromastery page both come here.</summary>
    public static async Task<IReadOnlyList<string>> RecordManualAsync(
        PayoffLedger ledger, TimeProvider clock, Stack.Micromastery micromastery, CheckSpec check, ManualEvidence body, CancellationToken ct)
    {
        var (slug, url, note) = (micromastery.Slug, Blank(body.Url), Blank(body.Note));
        await using var batch = await ledger.BeginAsync(ct);
        await batch.RecordManualAsync(slug, check.Id, ManualCheckType.Evidence(slug, check.Id, url, note, clock.GetUtcNow(), Blank(body.Context), Blank(body.Key)), ct);
        return await batch.CompleteAsync(ct);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static (CheckSpec? Check, string? Error) Check(Stack.Micromastery micromastery, ManualEvidence? body)
    {
        if (body is null || (string.IsNullOrWhiteSpace(body.Url) && string.IsNullOrWhiteSpace(body.Note)))
        {
            return (null, "give a 'url' or a 'note' as evidence");
        }

        if (body.Key is { Length: > 0 } key && (key.Length > ManualEvidence.MaxKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return (null, $"'key' is 1–{ManualEvidence.MaxKeyLength} letters, digits, '-' or '_'");
        }

        if (body.Note is { Length: > ManualEvidence.MaxNoteLength } note)
        {
            return (null, $"'note' is {note.Length} characters; at most {ManualEvidence.MaxNoteLength}");
        }

        if (body.Context is { Length: > ManualEvidence.MaxContextLength } context)
        {
            return (null, $"'context' is {context.Length} characters; at most {ManualEvidence.MaxContextLength}");
        }

        if (body.Url is { Length: > Observation.MaxUrlLength } longUrl)
        {
            return (null, $"'url' is {longUrl.Length} characters; at most {Observation.MaxUrlLength}");
        }

        if (body.Url is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            return (null, "'url' must be an absolute http(s) link");
        }

        var manualChecks = micromastery.Checks.Where(c => c.Type == CheckTypes.Manual).ToList();
        var check = body.Check is { Length: > 0 } id ? manualChecks.FirstOrDefault(c => c.Id == id) : manualChecks.FirstOrDefault();
        return check is null
            ? (null, $"'{micromastery.Slug}' has no manual check{(body.Check is null ? "" : $" '{body.Check}'")}; add '- type: manual' to its checks")
            : (check, null);
    }

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

    private static async Task<IResult> RecordAsync(string slug, ManualEvidence? body, StackStore stack, PayoffLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        if (stack.Current.Find(slug) is not { } micromastery)
        {
            return Results.NotFound(new { error = $"no micromastery '{slug}' in the stack" });
        }

        var (check, error) = Check(micromastery, body);
        if (check is null)
        {
            return Results.BadRequest(new { error });
        }

        var verified = await RecordManualAsync(ledger, clock, micromastery, check, body!, ct);
        return Results.Ok(new { slug, check = check.Id, verifiedNow = verified.Contains(slug) });
    }
}
