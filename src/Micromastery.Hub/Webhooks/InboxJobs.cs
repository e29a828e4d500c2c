using Hangfire;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// The inbox's background work, registered in one place: the minutely sweep (<see cref="InboxDrainJob.SweepJobId"/>)
/// and, at start-up, a drain of whatever was stored but not processed before a restart (in-memory job
/// storage forgets its jobs).
/// </summary>
internal sealed class InboxJobs(RecurringJobSet jobs, InboxDrainTrigger drain) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.Sync(RecurringJobs.InboxSweep, [WantedJob.Of<InboxDrainJob>(InboxDrainJob.SweepJobId, job => job.SweepAsync(CancellationToken.None), Cron.Minutely())]);
        drain.Signal();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
