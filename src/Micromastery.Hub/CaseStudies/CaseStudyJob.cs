using Hangfire;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;

namespace Micromastery.Hub.CaseStudies;

/// <summary>
/// Writes a case-study draft when a payoff is verified: a new version whenever the facts differ from the latest
/// draft's (a draft rendered before the verification is redrawn), and again whenever the story changes afterwards
/// (<see cref="RefreshAsync"/>). Idempotent: a re-run finds the same facts and adds nothing.
/// </summary>
internal sealed partial class CaseStudyJob(CaseStudyRenderer renderer, DraftStore drafts, PayoffReporter reporter, StackStore stack, ILogger<CaseStudyJob> logger)
{
    public const string RefreshJobId = "case-study-refresh";

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

    /// <summary>
    /// Redraws the case study of every verified payoff whose story changed since its latest draft (<see cref="DraftFacts"/>:
    /// disputed, refunded or gone at its source, reached in another context, restarted) — and writes the first draft of one
    /// verified while no job ran. A periodic sweep over the summaries rather than a job per evidence: a busy webhook
    /// stream then costs one comparison per micromastery every few minutes, and more of the same evidence is no new version.
    /// A draft without a fingerprint (written by hand or before fingerprints) is left for the owner to re-render.
    /// </summary>
    [AutomaticRetry(Attempts = 0)] // the next sweep is minutes away
    [JobDisplayName("Redraw the case studies whose story changed")]
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        var report = await reporter.BuildAsync(cancellationToken);
        var definition = stack.Current;
        var written = 0;
        foreach (var m in report.Micromasteries.Where(m => m.VerifiedAt is not null))
        {
            var latest = await drafts.GetAsync(m.Slug, null, cancellationToken);
            var facts = DraftFacts.Of(m);
            if (latest is not null && (latest.Facts is null || DraftFacts.SameStory(latest.Facts, facts)))
            {
                continue;
            }

            var markdown = await renderer.RenderAsync(m, definition.Find(m.Slug)?.Anatomy, definition.TimeZone, report.GeneratedAt, cancellationToken);
            if (await drafts.AddAsync(m.Slug, markdown, latest is null ? DraftStore.FirstVerification : DraftStore.StoryChanged, onlyIfNone: false, cancellationToken, facts) is { } v)
            {
                LogDrafted(m.Slug, v);
                written++;
            }
        }

        return written;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case-study draft v{Version} written for {Slug}")]
    private partial void LogDrafted(string slug, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No case study for {Slug}: it is no longer in the stack")]
    private partial void LogGone(string slug);
}

/// <summary>Hands the first verification of a payoff to the case-study job.</summary>
internal sealed class CaseStudyTrigger(IBackgroundJobClient jobs) : IPayoffVerifiedHandler
{
    public void OnFirstVerified(string slug) => jobs.Enqueue<CaseStudyJob>(job => job.RunFirstAsync(slug, CancellationToken.None));
}
