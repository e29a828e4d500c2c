using Hangfire;
using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Practice;
using Micromastery.Hub.Templates;
using Micromastery.Hub.Ui;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Mvc;

namespace Micromastery.Hub.Stack;

/// <summary><c>/micromasteries/{slug}</c>: one micromastery's page and its forms (each posts, then redirects back).</summary>
public static class MicromasteryPageEndpoints
{
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["started"] = "Started: it is in your stack file now, and today is day 1 of its 7-day plan.",
        ["already"] = "This micromastery was already in your stack.",
        ["practice"] = "Practice logged.",
        ["evidence"] = "Evidence recorded.",
        ["check"] = "The check is running now; reload in a moment to see its answer.",
        ["draft"] = "A new draft version was rendered.",
        ["published"] = "The case study is published on your public page (shown there once the stack file says 'public: true').",
        ["unpublished"] = "The case study is no longer on your public page.",
        ["nothing-published"] = "No case study was published.",
    };

    public static IEndpointRouteBuilder MapMicromasteryPages(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("/micromasteries/{slug}").ExcludeFromDescription();
        page.MapGet("/", (string slug, string? done, string? before, HttpContext context, CancellationToken ct) =>
            RenderAsync(slug, context, new { Notice = done is null ? null : Notices.GetValueOrDefault(done) }, StatusCodes.Status200OK, ct, before));
        page.MapPost("/practice", LogPracticeAsync);
        page.MapPost("/evidence", RecordEvidenceAsync);
        page.MapPost("/checks/{checkId}/run", RunCheck);
        page.MapPost("/drafts", RenderDraftAsync);
        page.MapPost("/drafts/{version:int}/publish", async (string slug, int version, PublicPage.PublicationStore store, CancellationToken ct) =>
            await store.PublishAsync(slug, version, ct)
                ? Results.Redirect($"/micromasteries/{slug}?done=published#drafts-title")
                : OwnerPages.NotFound($"There is no draft version {version} of '{slug}'."));
        page.MapPost("/drafts/unpublish", async (string slug, PublicPage.PublicationStore store, CancellationToken ct) =>
            Results.Redirect($"/micromasteries/{slug}?done={(await store.UnpublishAsync(slug, ct) ? "unpublished" : "nothing-published")}#drafts-title"));
        page.MapGet("/drafts/{version:int}.md", DownloadAsync);
        return app;
    }

    // The forms are read field by field: a missing field is an empty one, and each bad value is answered at its field.
    private static async Task<IResult> LogPracticeAsync(string slug, HttpContext context, StackStore stack, PracticeStore store, TimeProvider clock, CancellationToken ct)
    {
        if (stack.Current.Find(slug) is null)
        {
            return OwnerPages.NotFound($"There is no micromastery '{slug}' in the stack.");
        }

        var form = await FormAsync(context, ct);
        var (date, minutesText, note, key) = (Field(form, "date"), Field(form, "minutes"), Field(form, "note"), Field(form, "key") is { Length: > 0 } k ? k : null);
        int? minutes = int.TryParse(minutesText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : null;
        // The form's key is the session's id: the same form posted twice (a double click) is one session.
        var (session, field, error) = new PracticeInput(key, slug, date, null, minutes, note).Validate(stack.Current, clock.GetUtcNow());
        if (session is null)
        {
            return await RenderAsync(slug, context, new
            {
                PracticeField = field == "id" ? "key" : field, PracticeError = field == "id" ? $"'key': {error}" : error,
                PracticeDate = date, PracticeMinutes = minutesText, PracticeNote = note,
                Problem = "The practice was not logged: see the form.",
            }, StatusCodes.Status400BadRequest, ct);
        }

        if (await store.AddAsync(session, ct) == PracticeWrite.Conflict)
        {
            return await RenderAsync(slug, context, new { Problem = "This form was already used for a different session: reload the page and log it again." },
                StatusCodes.Status409Conflict, ct);
        }

        return Results.Redirect($"/micromasteries/{slug}?done=practice#practice");
    }

    private static async Task<IResult> RecordEvidenceAsync(string slug, HttpContext context, StackStore stack, PayoffLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        if (stack.Current.Find(slug) is not { } micromastery)
        {
            return OwnerPages.NotFound($"There is no micromastery '{slug}' in the stack.");
        }

        var form = await FormAsync(context, ct);
        var evidence = new PayoffEndpoints.ManualEvidence(Field(form, "check"), Field(form, "url"), Field(form, "note"), Field(form, "context"), Field(form, "key"));
        var (check, error) = PayoffEndpoints.Check(micromastery, evidence);
        if (check is null)
        {
            return await RenderAsync(slug, context, new { EvidenceError = error, Problem = "The evidence was not recorded: see the form." }, StatusCodes.Status400BadRequest, ct);
        }

        await PayoffEndpoints.RecordManualAsync(ledger, clock, micromastery, check, evidence, ct);
        return Results.Redirect($"/micromasteries/{slug}?done=evidence");
    }

    /// <summary>Runs the check's own recurring job now: the same path, retries and status writes as a scheduled poll.</summary>
    private static async Task<IResult> RunCheck(string slug, string checkId, HttpContext context, StackStore stack, CheckTypeRegistry types, IRecurringJobManager jobs, CancellationToken ct)
    {
        if (stack.Current.Find(slug) is not { } micromastery)
        {
            return OwnerPages.NotFound($"There is no micromastery '{slug}' in the stack.");
        }

        if (micromastery.Checks.FirstOrDefault(c => c.Id == checkId) is not { } check || types.ScheduleOf(micromastery, check) is null)
        {
            return await RenderAsync(slug, context, new { Problem = $"'{checkId}' is not a polled check of this micromastery." }, StatusCodes.Status400BadRequest, ct);
        }

        jobs.Trigger(CheckJob.IdFor(slug, checkId));
        return Results.Redirect($"/micromasteries/{slug}?done=check");
    }

    private static async Task<IResult> RenderDraftAsync(string slug, HttpContext context, CaseStudyRenderer renderer, DraftStore drafts, CancellationToken ct)
    {
        (string Markdown, string Facts)? rendered;
        try
        {
            rendered = await renderer.RenderDraftAsync(slug, ct);
        }
        catch (TemplateException ex)
        {
            return await RenderAsync(slug, context, new { Problem = $"The draft template failed: {ex.Message}" }, StatusCodes.Status422UnprocessableEntity, ct);
        }

        if (rendered is not var (markdown, facts))
        {
            return OwnerPages.NotFound($"There is no micromastery '{slug}' in the stack.");
        }

        await drafts.AddAsync(slug, markdown, DraftStore.OnDemand, onlyIfNone: false, ct, facts);
        return Results.Redirect($"/micromasteries/{slug}?done=draft");
    }

    private static async Task<IFormCollection> FormAsync(HttpContext context, CancellationToken ct) =>
        context.Request.HasFormContentType ? await context.Request.ReadFormAsync(ct) : FormCollection.Empty;

    private static string? Field(IFormCollection form, string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;

    private static async Task<IResult> DownloadAsync(string slug, int version, DraftStore drafts, CancellationToken ct) =>
        await drafts.GetAsync(slug, version, ct) is { } draft
            ? Results.File(System.Text.Encoding.UTF8.GetBytes(draft.Markdown), "text/markdown; charset=utf-8", $"{slug}-v{version}.md")
            : OwnerPages.NotFound($"There is no draft version {version} of '{slug}'.");

    /// <summary>Evidence items the page shows at a time: the newest, then older pages by keyset.</summary>
    public const int EvidencePerPage = 50;

    /// <summary>Practice sessions the page lists: the newest.</summary>
    public const int SessionsShown = 50;

    private static async Task<IResult> RenderAsync(string slug, HttpContext context, object extra, int status, CancellationToken ct, string? before = null)
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
            [nameof(MicromasteryPage.PublishedVersion)] = (await services.GetRequiredService<PublicPage.PublicationStore>().CaseStudiesAsync(ct)).GetValueOrDefault(slug)?.Version,
        };
        foreach (var property in extra.GetType().GetProperties())
        {
            parameters[property.Name] = property.GetValue(extra);
        }

        return new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<MicromasteryPage>(parameters) { StatusCode = status };
    }
}
