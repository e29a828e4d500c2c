using Hangfire;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// Coalesces "there is something in the inbox" into at most one waiting drain job, so a burst of
/// ten thousand deliveries costs one Hangfire job, not ten thousand. A drain that was enqueued but has
/// not started within <see cref="StartWithin"/> no longer holds the others back (its worker may be busy,
/// or the job lost): drains are idempotent, so one too many costs nothing.
/// </summary>
internal sealed class InboxDrainTrigger(IBackgroundJobClient jobs, TimeProvider clock)
{
    public static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(5);

    private long _enqueuedAt = -1;

    public void Signal()
    {
        var now = clock.GetTimestamp();
        var enqueuedAt = Interlocked.Read(ref _enqueuedAt);
        if (enqueuedAt >= 0 && clock.GetElapsedTime(enqueuedAt, now) < StartWithin)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _enqueuedAt, now, enqueuedAt) != enqueuedAt)
        {
            return; // another request enqueued it just now
        }

        try
        {
            jobs.Enqueue<InboxDrainJob>(job => job.RunAsync(CancellationToken.None));
        }
        catch
        {
            Interlocked.Exchange(ref _enqueuedAt, -1);
            throw;
        }
    }

    /// <summary>Called by the drain job as it starts: events stored from now on need another run.</summary>
    public void Started() => Interlocked.Exchange(ref _enqueuedAt, -1);
}
