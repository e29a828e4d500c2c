using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.PublicPage;

/// <summary>The owner's publishing calls (not public): a case-study version up or down, an evidence link shown or hidden.</summary>
public static partial class PublishEndpoints
{
    public sealed record EvidenceRef(string? Source, string? ExternalId);

    public static IEndpointRouteBuilder MapPublishing(this IEndpointRouteBuilder app)
    {
        var micromastery = app.MapGroup("/api/micromasteries/{slug}").WithTags("Build in public");
        micromastery.MapPost("/drafts/{version:int}/publish", PublishAsync);
        micromastery.MapDelete("/drafts/published", UnpublishAsync);
        micromastery.MapPost("/evidence/public", (string slug, EvidenceRef? body, StackStore stack, PublicationStore store, CancellationToken ct) =>
            MarkAsync(slug, body, true, stack, store, ct));
        micromastery.MapDelete("/evidence/public", (string slug, string? source, string? externalId, StackStore stack, PublicationStore store, CancellationToken ct) =>
            MarkAsync(slug, new EvidenceRef(source, externalId), false, stack, store, ct));
        return app;
    }

    private static async Task<IResult> PublishAsync(string slug, int version, StackStore stack, PublicationStore store, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!await store.PublishAsync(slug, version, ct))
        {
            return Results.NotFound(new { error = $"no draft v{version} for '{slug}' (list them at /api/micromasteries/{slug}/drafts)" });
        }

        LogPublished(loggers.CreateLogger("Micromastery.Hub.PublicPage"), slug, version);
        var shown = stack.Current.Find(slug)?.Public == true;
        return Results.Ok(new
        {
            slug,
            version,
            shown,
            page = $"/public/{slug}",
            note = shown ? null : $"'{slug}' is not public: the case study appears once the stack file says 'public: true' for it",
        });
    }

    private static async Task<IResult> UnpublishAsync(string slug, PublicationStore store, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!await store.UnpublishAsync(slug, ct))
        {
            return Results.NotFound(new { error = $"no published case study for '{slug}'" });
        }

        LogUnpublished(loggers.CreateLogger("Micromastery.Hub.PublicPage"), slug);
        return Results.NoContent();
    }

    private static async Task<IResult> MarkAsync(string slug, EvidenceRef? body, bool isPublic, StackStore stack, PublicationStore store, CancellationToken ct)
    {
        if (stack.Current.Find(slug) is null)
        {
            return Results.NotFound(new { error = $"no micromastery '{slug}' in the stack" });
        }

        if (body is not { Source.Length: > 0, ExternalId.Length: > 0 and <= Payoffs.Observation.MaxExternalIdLength })
        {
            return Results.BadRequest(new { error = "give the evidence's 'source' and 'externalId' as /api/stack lists them" });
        }

        await store.SetEvidencePublicAsync(slug, body.Source, body.ExternalId, isPublic, ct);
        return Results.Ok(new { slug, body.Source, body.ExternalId, linkShown = isPublic });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case study v{Version} of {Slug} published")]
    private static partial void LogPublished(ILogger logger, string slug, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case study of {Slug} taken down")]
    private static partial void LogUnpublished(ILogger logger, string slug);
}
