using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <param name="Context">Where the payoff was reached (a customer, a product): two contexts make repeatability.</param>
/// <param name="Key">An idempotency key (1–64 letters, digits, '-' or '_'): the same key again records nothing new.</param>
internal sealed record ManualEvidence(string? Check, string? Url, string? Note, string? Context = null, string? Key = null)
{
    public const int MaxKeyLength = 64;

    public const int MaxContextLength = 200;

    /// <summary>Longest note kept: a paragraph saying what was shown; longer proof belongs behind a link.</summary>
    public const int MaxNoteLength = 2000;
}

/// <summary>What recording manual evidence came to: recorded (and whether that verified the payoff), refused at a JSON field (<see cref="Field"/>) with a reason, or no such micromastery.</summary>
internal sealed record ManualEvidenceResult(string? CheckId, bool VerifiedNow, string? Error, string? Field = null)
{
    public bool NotFound => CheckId is null && Error is null;
}

/// <summary>
/// "Record manual evidence", one method: the JSON API and the micromastery page's form both call it,
/// so the same input is refused with the same words and stored in one ledger batch the same way.
/// </summary>
internal sealed partial class ManualEvidenceRecorder(StackStore stack, PayoffLedger ledger, TimeProvider clock, ILogger<ManualEvidenceRecorder> logger)
{
    public async Task<ManualEvidenceResult> RecordAsync(string slug, ManualEvidence? body, CancellationToken ct)
    {
        if (stack.Current.Find(slug) is not { } micromastery)
        {
            return new ManualEvidenceResult(null, false, null);
        }

        var (check, field, error) = Check(micromastery, body);
        if (check is null)
        {
            return new ManualEvidenceResult(null, false, error, field);
        }

        await using var batch = await ledger.BeginAsync(ct);
        await batch.RecordManualAsync(slug, check.Id,
            ManualCheckType.Evidence(slug, check.Id, Blank(body!.Url), Blank(body.Note), clock.GetUtcNow(), Blank(body.Context), Blank(body.Key)), ct);
        var verified = (await batch.CompleteAsync(ct)).Contains(slug);
        LogRecorded(slug, check.Id, verified);
        return new ManualEvidenceResult(check.Id, verified, null);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The manual check the evidence is for, or the field that refuses the evidence and why.</summary>
    private static (CheckSpec? Check, string? Field, string? Error) Check(Stack.Micromastery micromastery, ManualEvidence? body)
    {
        if (body is null || (string.IsNullOrWhiteSpace(body.Url) && string.IsNullOrWhiteSpace(body.Note)))
        {
            return (null, "url", "give a 'url' or a 'note' as evidence");
        }

        if (body.Key is { Length: > 0 } key && (key.Length > ManualEvidence.MaxKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return (null, "key", $"'key' is 1–{ManualEvidence.MaxKeyLength} letters, digits, '-' or '_'");
        }

        if (body.Note is { Length: > ManualEvidence.MaxNoteLength } note)
        {
            return (null, "note", $"'note' is {note.Length} characters; at most {ManualEvidence.MaxNoteLength}");
        }

        if (body.Context is { Length: > ManualEvidence.MaxContextLength } context)
        {
            return (null, "context", $"'context' is {context.Length} characters; at most {ManualEvidence.MaxContextLength}");
        }

        if (body.Url is { Length: > Observation.MaxUrlLength } longUrl)
        {
            return (null, "url", $"'url' is {longUrl.Length} characters; at most {Observation.MaxUrlLength}");
        }

        if (body.Url is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            return (null, "url", "'url' must be an absolute http(s) link");
        }

        var manualChecks = micromastery.Checks.Where(c => c.Type == CheckTypes.Manual).ToList();
        var check = body.Check is { Length: > 0 } id ? manualChecks.FirstOrDefault(c => c.Id == id) : manualChecks.FirstOrDefault();
        return check is null
            ? (null, "check", $"'{micromastery.Slug}' has no manual check{(body.Check is null ? "" : $" '{body.Check}'")}; add '- type: manual' to its checks")
            : (check, null, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Manual evidence recorded for {Slug} ({CheckId}); payoff verified by it: {VerifiedNow}")]
    private partial void LogRecorded(string slug, string checkId, bool verifiedNow);
}
