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

    private static async Task<IResult> PublishAsync(string slug, int version, CaseStudyPublishing publishing, CancellationToken ct) =>
        await publishing.PublishAsync(slug, version, ct) is { } published
            ? Results.Ok(new { slug, version, shown = published.Shown, page = published.Page, note = published.Note })
            : Results.NotFound(new { error = $"no draft v{version} for '{slug}' (list them at /api/micromasteries/{slug}/drafts)" });

    private static async Task<IResult> UnpublishAsync(string slug, CaseStudyPublishing publishing, CancellationToken ct) =>
        await publishing.UnpublishAsync(slug, ct)
            ? Results.NoContent()
            : Results.NotFound(new { error = $"no published case study for '{slug}'" });

    private static async Task<IResult> MarkAsync(string slug, EvidenceRef? body, bool isPublic, CaseStudyPublishing publishing, CancellationToken ct) =>
        await publishing.MarkEvidenceAsync(slug, body?.Source, body?.ExternalId, isPublic, ct) switch
        {
            EvidenceMark.NoSuchMicromastery => Results.NotFound(new { error = $"no micromastery '{slug}' in the stack" }),
            EvidenceMark.NoEvidenceNamed => Results.BadRequest(new { error = "give the evidence's 'source' and 'externalId' as /api/stack lists them" }),
            _ => Results.Ok(new { slug, body!.Source, body.ExternalId, linkShown = isPublic }),
        };
}
