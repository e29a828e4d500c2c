namespace Micromastery.Hub.CaseStudies;

internal static class CaseStudyEndpoints
{
    public static IEndpointRouteBuilder MapCaseStudies(this IEndpointRouteBuilder app)
    {
        var drafts = app.MapGroup("/api/micromasteries/{slug}/drafts").WithTags("Case studies");
        drafts.MapGet("/", ListAsync);
        drafts.MapGet("/latest", (string slug, DraftStore store, CancellationToken ct) => MarkdownAsync(slug, null, store, ct));
        drafts.MapGet("/{version:int}", (string slug, int version, DraftStore store, CancellationToken ct) => MarkdownAsync(slug, version, store, ct));
        // Rendering writes a new version: operators only.
        drafts.MapPost("/", RenderAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string slug, DraftStore store, CancellationToken ct) =>
        Results.Ok(await store.ListAsync(slug, ct));

    private static async Task<IResult> MarkdownAsync(string slug, int? version, DraftStore store, CancellationToken ct) =>
        await store.GetAsync(slug, version, ct) is { } draft
            ? Results.Text(draft.Markdown, "text/markdown; charset=utf-8")
            : Results.NotFound(new { error = $"no draft{(version is null ? "" : $" v{version}")} for '{slug}'" });

    private static async Task<IResult> RenderAsync(string slug, DraftRendering rendering, CancellationToken ct) =>
        await rendering.RenderNowAsync(slug, ct) switch
        {
            { Failure: { } failure } => Results.Json(failure.ToProblem(), statusCode: StatusCodes.Status422UnprocessableEntity),
            { Version: { } version } => Results.Created($"/api/micromasteries/{slug}/drafts/{version}", new { slug, version, latest = $"/api/micromasteries/{slug}/drafts/latest" }),
            _ => Results.NotFound(new { error = $"no micromastery '{slug}' in the stack" }),
        };
}
