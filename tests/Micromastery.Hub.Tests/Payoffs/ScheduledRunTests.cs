using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Nobody triggers the check and catch-up is off: only Hangfire's recurring scheduler, following the
/// check's own cron, can poll it. Each provider is its own test class so the two minute-long waits overlap.
/// </summary>
public abstract class ScheduledRunTests(StorageProvider provider)
{
    [Fact]
    public async Task CheckWithAMinutelySchedule_IsPolledByTheRecurringJobOnItsOwn()
    {
        using var feedHost = NewsletterFeed.Start();
        await using var hub = await DedicatedHub.CreateAsync(provider, NewsletterFeed.Stack(feedHost, "* * * * *", "Pacific/Chatham"));
        var started = DateTimeOffset.UtcNow;
        var client = hub.Start().CreateClient();

        var polled = await Eventually.ReturnsAsync(() => client.MicromasteryAsync("newsletter"),
            m => m.Checks.Single() is { State: CheckStates.Holds, LastAttemptAt: not null }, "the scheduled run of the check", seconds: 120);

        Assert.True(polled.Checks.Single().LastAttemptAt >= started);
        Assert.Equal("newsletter", polled.Slug);
        Assert.Equal(PayoffStates.Verified, polled.Payoff);
        Assert.NotEmpty(feedHost.LogEntries);
    }
}

[Trait(Needs.Key, Needs.Host)]
public sealed class ScheduledRunTests_Sqlite() : ScheduledRunTests(StorageProvider.Sqlite);

[Trait(Needs.Key, Needs.Postgres)]
public sealed class ScheduledRunTests_Postgres() : ScheduledRunTests(StorageProvider.Postgres);
