using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>A hub that was down when a check was due polls it once at start-up, on either storage.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class CatchUpAfterRestartTests
{
    private static readonly Dictionary<string, string?> CatchUp = new() { ["Polling:CatchUp"] = "true" };

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task CheckDueWhileTheHubWasDown_IsPolledOnceAtStartUp(StorageProvider provider)
    {
        using var feedHost = NewsletterFeed.Start();
        await using var hub = await DedicatedHub.CreateAsync(provider, NewsletterFeed.Stack(feedHost, "0 6 * * *"));

        // First start: the check was never polled, so it is polled at once rather than at 06:00.
        var first = hub.Start(CatchUp);
        var polledFirst = await Eventually.ReturnsAsync(() => first.CreateClient().MicromasteryAsync("newsletter"),
            m => m.Checks.Single() is { State: CheckStates.Holds, LastAttemptAt: not null }, "the new check to be polled at start-up");
        Assert.Single(feedHost.LogEntries);

        await using (var connection = await first.Services.GetRequiredService<HubDatabase>().OpenAsync())
        {
            await first.DisposeAsync();

            // The hub was down for two days: two 06:00 runs were missed.
            await connection.ExecuteAsync("UPDATE check_status SET last_attempt_at = @at, last_success_at = @at",
                new { at = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeMilliseconds() });
        }

        var second = hub.Start(CatchUp).CreateClient();

        var polledAgain = await Eventually.ReturnsAsync(() => second.MicromasteryAsync("newsletter"),
            m => m.Checks.Single().LastAttemptAt > polledFirst.Checks.Single().LastAttemptAt, "the missed check to be polled at start-up");
        Assert.Equal(CheckStates.Holds, polledAgain.Checks.Single().State);
        Assert.False(polledAgain.Checks.Single().Stale);
        Assert.Equal(2, feedHost.LogEntries.Count());
    }
}
