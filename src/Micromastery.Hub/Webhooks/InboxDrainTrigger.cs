using Hangfire;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// Coalesces "there is something in the inbox" into at most one waiting drain job, so a burst of
/// ten thousand deliveries costs one Hangfire job, not ten thousand.
/// </summary>
public sealed class InboxDrainTrigger(IBackgroundJobClient jobs)
{
    private int _queued;

    public void Signal()
    {
        if (Interlocked.Exchange(ref _queued, 1) == 1)
        {
            return;
        }

        try
        {
            jobs.Enqueue<InboxDrainJob>(job => job.RunAsync(CancellationToken.None));
        }
        catch
        {
            Volatile.Write(ref _queued, 0);
            throw;
        }
    }

    /// <summary>Called by the drain job as it starts: events stored from now on need another run.</summary>
    public void Started() => Volatile.Write(ref _queued, 0);
}
