using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

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
        using var feedHost = WireMockServer.Start();
        feedHost.Given(Request.Create().WithPath("/feed").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/rss+xml").WithBody(Payloads.Text("web", "substack-feed.xml")));
        await using var hub = await DedicatedHub.CreateAsync(provider, $"""
            timeZone: Pacific/Chatham
            micromasteries:
              - slug: newsletter
                name: First newsletter issue
                layer: B
                started: 2026-11-20
                checks:
                  - type: newsletter.published
                    feed: {feedHost.Url}/feed
                    schedule: "* * * * *"
            """);
        var client = hub.Start().CreateClient();
        var started = DateTimeOffset.UtcNow;

        var polled = await Eventually.ReturnsAsync(() => client.MicromasteryAsync("newsletter"),
            m => m.Checks.Single() is { State: CheckStates.Holds, LastAttemptAt: not null }, "the scheduled run of the check", seconds: 120);

        Assert.True(polled.Checks.Single().LastAttemptAt >= started);
        Assert.Equal("newsletter", polled.Slug);
        Assert.Equal(PayoffStates.Verified, polled.Payoff);
        Assert.NotEmpty(feedHost.LogEntries);
    }
}

public sealed class ScheduledRunTests_Sqlite() : ScheduledRunTests(StorageProvider.Sqlite);

public sealed class ScheduledRunTests_Postgres() : ScheduledRunTests(StorageProvider.Postgres);
