using Hangfire;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Templates;

namespace Micromastery.Hub.CaseStudies;

/// <summary>
/// Writes a case-study draft when a payoff is verified: a new version whenever the facts differ from the latest
/// draft's (a draft rendered before the verification is redrawn). Idempotent: a re-run finds the same facts and adds nothing.
/// </summary>
public sealed partial class CaseStudyJob(CaseStudyRenderer renderer, DraftStore drafts, ILogger<CaseStudyJob> logger)
{
    // A broken template fails the job at once (its reason is in /hangfire); retrying would not fix it.
    [AutomaticRetry(Attempts = 5, ExceptOn = [typeof(TemplateException)])]
    [DisableConcurrentExecution("case-study:{0}", 120)]
    [JobDisplayName("Case-study draft for {0}")]
    public async Task<int?> RunFirstAsync(string slug, CancellationToken cancellationToken)
    {
        if (await renderer.RenderDraftAsync(slug, cancellationToken) is not var (markdown, facts))
        {
            LogGone(slug);
            return null;
        }

        var latest = await drafts.GetAsync(slug, null, cancellationToken);
        if (latest?.Facts == facts)
        {
            return null;
        }

        var version = await drafts.AddAsync(slug, markdown, latest is null ? DraftStore.FirstVerification : DraftStore.PayoffVerified, onlyIfNone: false, cancellationToken, facts);
        if (version is { } v)
        {
            LogDrafted(slug, v);
        }

        return version;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case-study draft v{Version} written for {Slug}")]
    private partial void LogDrafted(string slug, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No case study for {Slug}: it is no longer in the stack")]
    private partial void LogGone(string slug);
}

/// <summary>Hands the first verification of a payoff to the case-study job.</summary>
public sealed class CaseStudyTrigger(IBackgroundJobClient jobs) : IPayoffVerifiedHandler
{
    public void OnFirstVerified(string slug) => jobs.Enqueue<CaseStudyJob>(job => job.RunFirstAsync(slug, CancellationToken.None));
}
