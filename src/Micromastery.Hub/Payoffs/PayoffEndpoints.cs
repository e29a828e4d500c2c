using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

public static class PayoffEndpoints
{
    public sealed record ManualEvidence(string? Check, string? Url, string? Note)
    {
        /// <summary>Longest note kept: a paragraph saying what was shown; longer proof belongs behind a link.</summary>
        public const int MaxNoteLength = 2000;
    }

    /// <summary>The manual check the evidence is for, or why the evidence is refused (the API and the page ask the same).</summary>
    public static (CheckSpec? Check, string? Error) Check(Stack.Micromastery micromastery, ManualEvidence? body)
    {
        if (body is null || (string.IsNullOrWhiteSpace(body.Url) && string.IsNullOrWhiteSpace(body.Note)))
        {
            return (null, "give a 'url' or a 'note' as evidence");
        }

        if (body.Note is { Length: > ManualEvidence.MaxNoteLength } note)
        {
            return (null, $"'note' is {note.Length} characters; at most {ManualEvidence.MaxNoteLength}");
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
        return app;
    }

    private static async Task<IResult> RecordAsync(string slug, ManualEvidence? body, StackStore stack, PayoffLedger ledger, CancellationToken ct)
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

        var verified = await ledger.RecordManualAsync(micromastery, check, body!.Url, body.Note, ct);
        return Results.Ok(new { slug, check = check.Id, verifiedNow = verified.Contains(slug) });
    }
}
