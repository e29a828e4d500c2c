using Hangfire.Common;
using Hangfire.States;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// Hangfire retry for check jobs: exponential backoff (1, 4, 16, 64 … minutes), or the service's
/// Retry-After / rate-limit reset when that is later. After <see cref="Attempts"/> the job fails and
/// the next scheduled run tries again.
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

        context.SetJobParameter(RetryCountParameter, attempt);
        context.CandidateState = new ScheduledState(delay)
        {
            Reason = $"Retry attempt {attempt} of {Attempts} in {delay}: {failed.Exception.Message}",
        };
    }
}
