using Micromastery.Hub.Templates;

namespace Micromastery.Hub.CaseStudies;

/// <summary>What rendering a draft on demand came to: a new version, no such micromastery, or a template that failed.</summary>
internal sealed record DraftRendered(int? Version, TemplateException? Failure)
{
    public bool NotFound => Version is null && Failure is null;
}

/// <summary>
/// "Render a new draft now", one method: the JSON API and the micromastery page's button both call it, so both
/// store the same version with the same facts fingerprint and log the same.
/// </summary>
internal sealed partial class DraftRendering(CaseStudyRenderer renderer, DraftStore drafts, ILogger<DraftRendering> logger)
{
    public async Task<DraftRendered> RenderNowAsync(string slug, CancellationToken ct)
    {
        (string Markdown, string Facts)? rendered;
        try
        {
            rendered = await renderer.RenderDraftAsync(slug, ct);
        }
        catch (TemplateException ex)
        {
            LogTemplateFailed(slug, ex.Message);
            return new DraftRendered(null, ex);
        }

        if (rendered is not var (markdown, facts))
        {
            return new DraftRendered(null, null);
        }

        var version = (await drafts.AddAsync(slug, markdown, DraftStore.OnDemand, onlyIfNone: false, ct, facts))!.Value;
        LogRendered(slug, version);
        return new DraftRendered(version, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft v{Version} of {Slug} rendered on demand")]
    private partial void LogRendered(string slug, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draft of {Slug} not rendered: the template failed: {Reason}")]
    private partial void LogTemplateFailed(string slug, string reason);
}
