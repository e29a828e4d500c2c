using Hangfire;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// The payoffs' background work and their one reaction to a stack change, in one place: the recurring
/// check jobs and the re-confirmation jobs follow the stack (<see cref="CheckScheduler"/>, <see cref="ReconfirmScheduler"/>), and verdicts are re-evaluated at start-up and
/// whenever the stack changes (a check added or removed can settle a payoff).
/// </summary>
internal sealed partial class PayoffJobs(
    CheckScheduler scheduler, ReconfirmScheduler reconfirmations, IBackgroundJobClient jobs, StackStore stack, PayoffLedger ledger, ILogger<PayoffJobs> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        stack.Changed += OnStackChanged;
        await scheduler.SyncAsync(stack.Current, cancellationToken);
        reconfirmations.Sync(stack.Current);
        jobs.Enqueue<ReevaluateJob>(job => job.RebuildAsync(CancellationToken.None));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stack.Changed -= OnStackChanged;
        return Task.CompletedTask;
    }

    private async void OnStackChanged(StackDefinition definition)
    {
        // Raised on the file watcher's thread: an exception here would end the process.
        try
        {
            await scheduler.SyncAsync(definition);
            reconfirmations.Sync(definition);
        }
        catch (Exception ex)
        {
            LogSyncFailed(ex);
        }

        try
        {
            // At once, not in the job: pages read the summaries, and only the micromasteries the edit touched are recomputed.
            await ledger.RefreshSummariesAsync(all: false, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogRefreshFailed(ex);
        }

        try
        {
            jobs.Enqueue<ReevaluateJob>(job => job.RunAsync(CancellationToken.None));
        }
        catch (Exception ex)
        {
            LogEnqueueFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not update the check jobs after a stack change; the next change or restart does it")]
    private partial void LogSyncFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not recompute the evidence summaries after a stack change; the next read or re-evaluation does it")]
    private partial void LogRefreshFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not enqueue re-evaluation after a stack change; the next change or restart does it")]
    private partial void LogEnqueueFailed(Exception exception);
}
