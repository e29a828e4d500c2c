using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.Practice;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Ui;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using PageAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<Micromastery.Hub.Payoffs.MicromasteryPage>,
    Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<Micromastery.Hub.Ui.OwnerNotFound>,
    Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult>;

namespace Micromastery.Hub.Payoffs;

/// <summary><c>/micromasteries/{slug}</c>: one micromastery's page and its forms (each posts, then redirects back).</summary>
internal static class MicromasteryPageEndpoints
{
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["started"] = "Started: it is in your stack file now, and today is day 1 of its 7-day plan.",
        ["already"] = "This micromastery was already in your stack.",
        ["practice"] = "Practice logged.",
        ["evidence"] = "Evidence recorded.",
        ["check"] = "The check is running now; reload in a moment to see its answer.",
        ["draft"] = "A new draft version was rendered.",
        ["published"] = "The case study is published and shown on your public page.",
        ["published-hidden"] = "The case study is published, but this micromastery is not public: it appears on your public page once the stack file says 'public: true' for it.",
        ["unpublished"] = "The case study is no longer on your public page.",
        ["nothing-published"] = "No case study was published.",
    };

    public static IEndpointRouteBuilder MapMicromasteryPages(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("/micromasteries/{slug}").ExcludeFromDescription();
        page.MapGet("/", (string slug, string? done, string? before, HttpContext context, CancellationToken ct) =>
            RenderAsync(slug, context, new PageOutcome(Notice: done is null ? null : Notices.GetValueOrDefault(done)), StatusCodes.Status200OK, ct, before));
        page.MapPost("/practice", LogPracticeAsync);
        page.MapPost("/evidence", RecordEvidenceAsync);
        page.MapPost("/checks/{checkId}/run", RunCheckAsync);
        page.MapPost("/drafts", RenderDraftAsync);
        page.MapPost("/drafts/{version:int}/publish", PublishAsync);
        page.MapPost("/drafts/unpublish", async (string slug, CaseStudyPublishing publishing, CancellationToken ct) =>
            TypedResults.Redirect($"/micromasteries/{slug}?done={(await publishing.UnpublishAsync(slug, ct) ? "unpublished" : "nothing-published")}#drafts-title"));
        page.MapGet("/drafts/{version:int}.md", DownloadAsync);
        return app;
    }

    /// <summary>What a form's answer adds to the page: a notice or problem, and a refused form's values and errors at their fields.</summary>
    private sealed record PageOutcome(
        string? Notice = null, string? Problem = null, string? PracticeField = null, string? PracticeError = null,
        string? PracticeDate = null, string? PracticeMinutes = null, string? PracticeNote = null, string? EvidenceError = null);

    // Each form handler is an adapter: read the form, call the action's one service method (the API calls the same), answer with the page.
    // The forms are read field by field: a missing field is an empty one, and each bad value is answered at its field.
    private static async Task<PageAnswer> LogPracticeAsync(string slug, HttpContext context, StackStore stack, PracticeLog log, CancellationToken ct)
    {
        if (stack.Current.Find(slug) is null)
        {
            return OwnerPages.NotFound($"There is no micromastery '{slug}' in the stack.");
        }

        var form = await FormAsync(context, ct);
        var (date, minutesText, note, key) = (Field(form, "date"), Field(form, "minutes"), Field(form, "note"), Field(form, "key") is { Length: > 0 } k ? k : null);
        int? minutes = int.TryParse(minutesText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : null;
        // The form's key is the session's id: the same form posted twice (a double click) is one session.
        var logged = await log.AddAsync(new PracticeInput(key, slug, date, null, minutes, note), ct);
        if (logged.Session is null)
        {
            var (field, error) = (logged.Field, logged.Error);
            return await RenderAsync(slug, context, new PageOutcome(
                PracticeField: field == "id" ? "key" : field, PracticeError: field == "id" ? $"'key': {error}" : error,
                PracticeDate: date, PracticeMinutes: minutesText, PracticeNote: note,
                Problem: "The practice was not logged: see the form."), StatusCodes.Status400BadRequest, ct);
        }

        if (logged.Write == PracticeWrite.Conflict)
        {
            return await RenderAsync(slug, context, new PageOutcome(Problem: "This form was already used for a different session: reload the page and log it again."),
                StatusCodes.Status409Conflict, ct);
        }

        return TypedResults.Redirect($"/micromasteries/{slug}?done=practice#practice");
    }

    private static async Task<PageAnswer> RecordEvidenceAsync(string slug, HttpContext context, ManualEvidenceRecorder recorder, CancellationToken ct)
    {
        var form = await FormAsync(context, ct);
        var evidence = new ManualEvidence(Field(form, "check"), Field(form, "url"), Field(form, "note"), Field(form, "context"), Field(form, "key"));
        var result = await recorder.RecordAsync(slug, evidence, ct);
        if (result.NotFound)
        {
            return OwnerPages.NotFound($"There is no micromastery '{slug}' in the stack.");
        }

        return result.Error is { } error
            ? await RenderAsync(slug, context, new PageOutcome(EvidenceError: error, Problem: "The evidence was not recorded: see the form."), StatusCodes.Status400BadRequest, ct)
            : TypedResults.Redirect($"/micromasteries/{slug}?done=evidence");
    }

    /// <summary>Runs the check's own recurring job now (<see cref="CheckNow"/>): the same path, retries and status writes as a scheduled poll.</summary>
    private static async Task<PageAnswer> RunCheckAsync(string slug, string checkId, HttpContext context, CheckNow checkNow, CancellationToken ct) =>
        checkNow.Run(slug, checkId) switch
        {
            CheckNowResult.NoSuchMicromastery => OwnerPages.NotFound($"There is no micromastery '{slug}' in the stack."),
            CheckNowResult.NotPolled => await RenderAsync(slug, context, new PageOutcome(Problem: $"'{checkId}' is not a polled check of this micromastery."), StatusCodes.Status400BadRequest, ct),
            _ => TypedResults.Redirect($"/micromasteries/{slug}?done=check"),
        };

    private static async Task<PageAnswer> RenderDraftAsync(string slug, HttpContext context, DraftRendering rendering, CancellationToken ct) =>
        await rendering.RenderNowAsync(slug, ct) switch
        {
            { Failure: { } failure } => await RenderAsync(slug, context, new PageOutcome(Problem: $"The draft template failed: {failure.Message}"), StatusCodes.Status422UnprocessableEntity, ct),
            { Version: not null } => TypedResults.Redirect($"/micromasteries/{slug}?done=draft"),
            _ => OwnerPages.NotFound($"There is no micromastery '{slug}' in the stack."),
        };

    /// <summary>Publishes like the API (<see cref="CaseStudyPublishing"/>) and says, as the API does, whether the public page shows it.</summary>
    private static async Task<PageAnswer> PublishAsync(string slug, int version, CaseStudyPublishing publishing, CancellationToken ct) =>
        await publishing.PublishAsync(slug, version, ct) is { } published
            ? TypedResults.Redirect($"/micromasteries/{slug}?done={(published.Shown ? "published" : "published-hidden")}#drafts-title")
            : OwnerPages.NotFound($"There is no draft version {version} of '{slug}'.");

    private static async Task<IFormCollection> FormAsync(HttpContext context, CancellationToken ct) =>
        context.Request.HasFormContentType ? await context.Request.ReadFormAsync(ct) : FormCollection.Empty;

    private static string? Field(IFormCollection form, string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;

    private static async Task<Results<FileContentHttpResult, RazorComponentResult<OwnerNotFound>>> DownloadAsync(string slug, int version, DraftStore drafts, CancellationToken ct) =>
        await drafts.GetAsync(slug, version, ct) is { } draft
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(draft.Markdown), "text/markdown; charset=utf-8", $"{slug}-v{version}.md")
            : OwnerPages.NotFound($"There is no draft version {version} of '{slug}'.");

    /// <summary>Evidence items the page shows at a time: the newest, then older pages by keyset.</summary>
    public const int EvidencePerPage = 50;

    /// <summary>Practice sessions the page lists: the newest.</summary>
    public const int SessionsShown = 50;

    private static async Task<PageAnswer> RenderAsync(string slug, HttpContext context, PageOutcome outcome, int status, CancellationToken ct, string? before = null)
    {
        var services = context.RequestServices;
        var stack = services.GetRequiredService<StackStore>();
        if (stack.Current.Find(slug) is not { } definition)
        {
            return OwnerPages.NotFound($"There is no micromastery '{slug}' in the stack.");
        }

        var reporter = services.GetRequiredService<PayoffReporter>();
        var item = (await reporter.BuildOneAsync(definition.Slug, 0, ct))!;
        if (await reporter.EvidenceAsync(definition.Slug, before, EvidencePerPage, ct) is not { } evidence)
        {
            return OwnerPages.NotFound("That page of evidence does not exist: start from the newest.");
        }

        var types = services.GetRequiredService<CheckTypeRegistry>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var nextPolls = definition.Checks
            .Select(c => (c.Id, Schedule: types.ScheduleOf(definition, c)))
            .Where(c => c.Schedule is not null)
            .ToDictionary(c => c.Id, c => c.Schedule!.NextAfter(now));
        var drafts = services.GetRequiredService<DraftStore>();
        var latest = await drafts.GetAsync(slug, null, ct);
        var parameters = new Dictionary<string, object?>
        {
            [nameof(MicromasteryPage.Report)] = item,
            [nameof(MicromasteryPage.Evidence)] = evidence,
            [nameof(MicromasteryPage.Older)] = before is not null,
            [nameof(MicromasteryPage.Definition)] = definition,
            [nameof(MicromasteryPage.NextPolls)] = nextPolls,
            [nameof(MicromasteryPage.Sessions)] = await services.GetRequiredService<PracticeStore>().NewestAsync(slug, SessionsShown, ct),
            [nameof(MicromasteryPage.Drafts)] = await drafts.ListAsync(slug, ct),
            [nameof(MicromasteryPage.Latest)] = latest,
            [nameof(MicromasteryPage.LatestHtml)] = latest is null ? default(MarkupString) : new MarkupString(HubMarkdown.ToHtml(latest.Markdown)),
            [nameof(MicromasteryPage.Token)] = OwnerPages.Token(context),
            [nameof(MicromasteryPage.CurrentFacts)] = DraftFacts.Of(item),
            [nameof(MicromasteryPage.PublishedVersion)] = (await services.GetRequiredService<PublicationStore>().CaseStudiesAsync(ct)).GetValueOrDefault(slug)?.Version,
            [nameof(MicromasteryPage.Notice)] = outcome.Notice,
            [nameof(MicromasteryPage.Problem)] = outcome.Problem,
            [nameof(MicromasteryPage.PracticeField)] = outcome.PracticeField,
            [nameof(MicromasteryPage.PracticeError)] = outcome.PracticeError,
            [nameof(MicromasteryPage.PracticeDate)] = outcome.PracticeDate,
            [nameof(MicromasteryPage.PracticeMinutes)] = outcome.PracticeMinutes,
            [nameof(MicromasteryPage.PracticeNote)] = outcome.PracticeNote,
            [nameof(MicromasteryPage.EvidenceError)] = outcome.EvidenceError,
        };

        return new RazorComponentResult<MicromasteryPage>(parameters) { StatusCode = status };
    }
}
