using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// Hangfire retry for check jobs: exponential backoff (1, 4, 16, 64 … minutes), or the service's
/// Retry-After / rate-limit reset when that is later — but only while that is before the check's next
/// scheduled run, so one check never has two attempts pending. Otherwise, and after <see cref="Attempts"/>,
/// the job fails and the next scheduled run tries again.
/// </summary>
public sealed class CheckRetryAttribute : JobFilterAttribute, IElectStateFilter
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

    private static DateTime? NextScheduledRun(ElectStateContext context) =>
        context.BackgroundJob.Job.Args is [string slug, string checkId, ..]
            ? context.Connection.GetRecurringJobs([CheckJob.IdFor(slug, checkId)]).FirstOrDefault()?.NextExecution
            : null;
}
