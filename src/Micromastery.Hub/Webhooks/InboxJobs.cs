using Hangfire;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// The inbox's background work, registered in one place: the minutely sweep (<see cref="InboxDrainJob.SweepJobId"/>)
/// and, at start-up, a drain of whatever was stored but not processed before a restart (in-memory job
/// storage forgets its jobs).
/// </summary>
internal sealed class InboxJobs(IRecurringJobManager recurring, InboxDrainTrigger drain) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<InboxDrainJob>(InboxDrainJob.SweepJobId, job => job.SweepAsync(CancellationToken.None), Cron.Minutely(),
            new RecurringJobOptions { MisfireHandling = MisfireHandlingMode.Ignorable });
        drain.Signal();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
