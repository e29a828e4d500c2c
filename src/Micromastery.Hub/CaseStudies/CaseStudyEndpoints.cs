using Micromastery.Hub.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

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

    private static async Task<Ok<IReadOnlyList<DraftInfo>>> ListAsync(string slug, DraftStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(slug, ct));

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> MarkdownAsync(string slug, int? version, DraftStore store, CancellationToken ct) =>
        await store.GetAsync(slug, version, ct) is { } draft
            ? TypedResults.Text(draft.Markdown, "text/markdown; charset=utf-8")
            : Problems.NotFound($"no draft{(version is null ? "" : $" v{version}")} for '{slug}'");

    private static async Task<Results<Created<DraftCreated>, ProblemHttpResult>> RenderAsync(string slug, DraftRendering rendering, CancellationToken ct) =>
        await rendering.RenderNowAsync(slug, ct) switch
        {
            { Failure: { } failure } => failure.ToProblem(),
            { Version: { } version } => TypedResults.Created($"/api/micromasteries/{slug}/drafts/{version}", new DraftCreated(slug, version, $"/api/micromasteries/{slug}/drafts/latest")),
            _ => Problems.NotFound($"no micromastery '{slug}' in the stack"),
        };

    /// <summary>The answer of <c>POST …/drafts</c>.</summary>
    internal sealed record DraftCreated(string Slug, int Version, string Latest);
}
