using Micromastery.Hub.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Micromastery.Hub.PublicPage;

/// <summary>The owner's publishing calls (not public), thin over <see cref="CaseStudyPublishing"/>: a case-study version up or down, an evidence link shown or hidden.</summary>
internal static class PublishEndpoints
{
    public sealed record EvidenceRef(string? Source, string? ExternalId);

    public static IEndpointRouteBuilder MapPublishing(this IEndpointRouteBuilder app)
    {
        var micromastery = app.MapGroup("/api/micromasteries/{slug}").WithTags("Build in public");
        micromastery.MapPost("/drafts/{version:int}/publish", PublishAsync);
        micromastery.MapDelete("/drafts/published", UnpublishAsync);
        micromastery.MapPost("/evidence/public", (string slug, EvidenceRef? body, CaseStudyPublishing publishing, CancellationToken ct) =>
            MarkAsync(slug, body, true, publishing, ct));
        micromastery.MapDelete("/evidence/public", (string slug, string? source, string? externalId, CaseStudyPublishing publishing, CancellationToken ct) =>
            MarkAsync(slug, new EvidenceRef(source, externalId), false, publishing, ct));
        return app;
    }

    private static async Task<Results<Ok<PublishedDraft>, ProblemHttpResult>> PublishAsync(string slug, int version, CaseStudyPublishing publishing, CancellationToken ct) =>
        await publishing.PublishAsync(slug, version, ct) is { } published
            ? TypedResults.Ok(published)
            : Problems.NotFound($"no draft v{version} for '{slug}' (list them at /api/micromasteries/{slug}/drafts)");

    private static async Task<Results<NoContent, ProblemHttpResult>> UnpublishAsync(string slug, CaseStudyPublishing publishing, CancellationToken ct) =>
        await publishing.UnpublishAsync(slug, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound($"no published case study for '{slug}'");

    private static async Task<Results<Ok<EvidenceMarked>, ValidationProblem, ProblemHttpResult>> MarkAsync(
        string slug, EvidenceRef? body, bool isPublic, CaseStudyPublishing publishing, CancellationToken ct) =>
        await publishing.MarkEvidenceAsync(slug, body?.Source, body?.ExternalId, isPublic, ct) switch
        {
            EvidenceMark.NoSuchMicromastery => Problems.NotFound($"no micromastery '{slug}' in the stack"),
            EvidenceMark.NoEvidenceNamed => NoEvidenceNamed(),
            _ => TypedResults.Ok(new EvidenceMarked(slug, body!.Source, body.ExternalId, isPublic)),
        };

    private static ValidationProblem NoEvidenceNamed()
    {
        string[] message = ["give the evidence's 'source' and 'externalId' as /api/stack lists them"];
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["source"] = message, ["externalId"] = message }, detail: message[0]);
    }

    /// <summary>The answer of marking an evidence link public or private.</summary>
    internal sealed record EvidenceMarked(string Slug, string? Source, string? ExternalId, bool LinkShown);
}
