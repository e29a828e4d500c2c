using Micromastery.Hub.Stack;

namespace Micromastery.Hub.PublicPage;

/// <summary>A published case-study version: on the public page at <see cref="Page"/> when <see cref="Shown"/> (the stack file says <c>public: true</c>).</summary>
internal sealed record PublishedDraft(string Slug, int Version, bool Shown)
{
    public string Page => $"/public/{Slug}";

    public string? Note => Shown ? null : $"'{Slug}' is not public: the case study appears once the stack file says 'public: true' for it";
}

/// <summary>What marking an evidence link public or private came to.</summary>
internal enum EvidenceMark
{
    Marked,
    NoSuchMicromastery,
    NoEvidenceNamed,
}

/// <summary>
/// The owner's publishing actions, one method each: the JSON API (<see cref="PublishEndpoints"/>) and the micromastery
/// page's buttons both call these, so both log the same and answer whether the page shows the case study.
/// </summary>
internal sealed partial class CaseStudyPublishing(PublicationStore store, StackStore stack, ILogger<CaseStudyPublishing> logger)
{
    /// <summary>Puts draft <paramref name="version"/> on the public page; null when there is no such draft.</summary>
    public async Task<PublishedDraft?> PublishAsync(string slug, int version, CancellationToken ct)
    {
        if (!await store.PublishAsync(slug, version, ct))
        {
            return null;
        }

        var published = new PublishedDraft(slug, version, stack.Current.Find(slug)?.Public == true);
        LogPublished(slug, version, published.Shown);
        return published;
    }

    /// <summary>Takes the published case study down; false when none was published.</summary>
    public async Task<bool> UnpublishAsync(string slug, CancellationToken ct)
    {
        if (!await store.UnpublishAsync(slug, ct))
        {
            return false;
        }

        LogUnpublished(slug);
        return true;
    }

    /// <summary>Shows or hides one evidence item's link on the public page.</summary>
    public async Task<EvidenceMark> MarkEvidenceAsync(string slug, string? source, string? externalId, bool isPublic, CancellationToken ct)
    {
        if (stack.Current.Find(slug) is null)
        {
            return EvidenceMark.NoSuchMicromastery;
        }

        if (source is not { Length: > 0 } || externalId is not { Length: > 0 and <= Payoffs.Observation.MaxExternalIdLength })
        {
            return EvidenceMark.NoEvidenceNamed;
        }

        await store.SetEvidencePublicAsync(slug, source, externalId, isPublic, ct);
        LogMarked(slug, source, isPublic);
        return EvidenceMark.Marked;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case study v{Version} of {Slug} published (shown on the public page: {Shown})")]
    private partial void LogPublished(string slug, int version, bool shown);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case study of {Slug} taken down")]
    private partial void LogUnpublished(string slug);

    [LoggerMessage(Level = LogLevel.Information, Message = "An evidence link of {Slug} from {Source} marked public: {IsPublic}")]
    private partial void LogMarked(string slug, string source, bool isPublic);
}
