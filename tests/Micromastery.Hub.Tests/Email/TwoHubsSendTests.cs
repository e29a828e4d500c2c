using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Email;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Email;

/// <summary>Two hub processes on one PostgreSQL database race to send the same week: each recipient gets one email.</summary>
[Collection(EmailPostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class TwoHubsSendTests(EmailPostgresHub hub) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await hub.ResetAsync();
        await hub.MailDev.ClearAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TwoHubsSendingTheSameWeekAtOnce_SendOncePerRecipient()
    {
        // Two hubs on a database of their own: their Hangfire servers share its queue, and must not take the shared fixture's jobs.
        await using var twins = await DedicatedHub.CreateAsync(StorageProvider.Postgres);
        var first = Start(twins);
        var second = Start(twins);
        var week = new IsoWeek(2024, 33);
        var senders = new[] { first.Services.GetRequiredService<WeeklySender>(), second.Services.GetRequiredService<WeeklySender>() };

        var results = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => Task.Run(() => senders[i % 2].SendWeekAsync(week, retakeFailed: false, CancellationToken.None))));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(2, all.Count(r => r.Outcome == SendOutcome.Sent));
        Assert.All(all.Where(r => r.Outcome != SendOutcome.Sent), r => Assert.Contains(r.Outcome, new[] { SendOutcome.AlreadySent, SendOutcome.OwnedElsewhere }));
        var emails = (await hub.MailDev.EmailsAsync()).Where(e => e!["subject"]!.GetValue<string>().Contains(week.Key, StringComparison.Ordinal)).ToList();
        Assert.Equal(["coach@example.test", "solo@example.test"], emails.Select(e => e!["to"]![0]!["address"]!.GetValue<string>()).Order().ToArray());
        var records = await first.Services.GetRequiredService<WeeklySendLedger>().ListAsync(week.Key, CancellationToken.None);
        Assert.All(records, r => Assert.Equal(SendStates.Sent, r.State));
    }

    /// <summary>A hub over the twins' folder and database; DedicatedHub disposes both hubs, drops the database and deletes the folder.</summary>
    private HubFactory Start(DedicatedHub twins)
    {
        var factory = twins.Start(hub.EmailSettings);
        factory.CreateClient();
        return factory;
    }
}
