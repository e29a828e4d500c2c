using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// Hangfire retry for check and re-confirmation jobs: exponential backoff (1, 4, 16, 64 … minutes), or the service's
/// Retry-After / rate-limit reset when that is later — but only while that is before the check's next
/// scheduled run, so one check never has two attempts pending. Otherwise, and after <see cref="Attempts"/>,
/// the job fails and the next scheduled run tries again.
/// </summary>
internal sealed class CheckRetryAttribute : JobFilterAttribute, IElectStateFilter
{
    public const string RetryCountParameter = "RetryCount";

    public int Attempts { get; set; } = 5;

    public static TimeSpan Backoff(int attempt) => TimeSpan.FromMinutes(Math.Pow(4, attempt - 1));

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not FailedState failed)
        {
            return;
        }

        var attempt = context.GetJobParameter<int>(RetryCountParameter) + 1;
        if (attempt > Attempts)
        {
            return;
        }

        var delay = Backoff(attempt);
        if (failed.Exception is CheckUnavailableException { RetryAfter: { } retryAfter } && retryAfter > delay)
        {
            delay = retryAfter;
        }

        var retry = new ScheduledState(delay) { Reason = $"Retry attempt {attempt} of {Attempts} in {delay}: {failed.Exception.Message}" };
        if (NextScheduledRun(context) is { } next && retry.EnqueueAt >= next)
        {
            // The check's own schedule polls again first: retrying as well would leave two attempts pending.
            failed.Reason = $"Not retried: the next scheduled run at {next:u} polls again first";
            return;
        }

        context.SetJobParameter(RetryCountParameter, attempt);
        context.CandidateState = retry;
    }

    /// <summary>The Hangfire parameter a job triggered by a recurring job carries: that recurring job's id.</summary>
    private const string RecurringJobIdParameter = "RecurringJobId";

    private static DateTime? NextScheduledRun(ElectStateContext context) =>
        (RecurringJobOf(context.BackgroundJob.Job) ?? context.GetJobParameter<string>(RecurringJobIdParameter)) is { } id
            ? context.Connection.GetRecurringJobs([id]).FirstOrDefault()?.NextExecution
            : null;

    /// <summary>The recurring job whose schedule runs this job again: every job this attribute guards, by its own id rule
    /// (a job enqueued by hand carries no recurring-job parameter, yet its schedule still polls first).</summary>
    internal static string? RecurringJobOf(Job job) => job switch
    {
        { Type: var type, Args: [string slug, string checkId, ..] } when type == typeof(CheckJob) => CheckJob.IdFor(slug, checkId),
        { Type: var type, Args: [string slug, ..] } when type == typeof(ReconfirmJob) => ReconfirmJob.IdFor(slug),
        _ => null,
    };
}
