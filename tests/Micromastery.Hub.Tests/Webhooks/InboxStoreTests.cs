using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// The inbox page's reading (keyset pages) and replay, on both storage providers. No host: events are stored as rows
/// and the drain job is run directly; the receivers' HTTP side is in the webhook tests.
/// </summary>
public abstract class InboxStoreTests(StoreFixture store) : IAsyncLifetime
{
    private HubServices hub = null!;

    public async Task InitializeAsync() => hub = await store.CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Pages_WalkEveryEventOnceNewestFirst_AndTheStateFilterHoldsOnEveryPage()
    {
        for (var i = 0; i < 120; i++)
        {
            await InsertAsync("other", $"evt_{i}", i % 2 == 0 ? InboxState.Processed : InboxState.Failed);
        }

        var queries = hub.Service<InboxStore>();
        var seen = new List<InboxEventSummary>();
        long? before = null;
        while (await queries.PageAsync(InboxFilter.All, before, 50, CancellationToken.None) is { Count: > 0 } page)
        {
            seen.AddRange(page);
            before = page[^1].Id;
        }

        var failed = await queries.PageAsync(InboxFilter.All with { State = InboxState.Failed }, null, 500, CancellationToken.None);

        Assert.Equal(120, seen.Select(e => e.Id).Distinct().Count());
        Assert.Equal(seen.Select(e => e.Id).OrderDescending(), seen.Select(e => e.Id));
        Assert.Equal(60, failed.Count);
        Assert.All(failed, e => Assert.Equal(InboxState.Failed, e.State));
    }

    [Fact]
    public async Task ReplayOfAProcessedEvent_GoesThroughTheDrainAgain_AndChangesNothing()
    {
        var body = StripeEvents.PaymentIntentSucceeded();
        await InsertAsync("stripe", System.Text.Json.Nodes.JsonNode.Parse(body)!["id"]!.GetValue<string>(), InboxState.Received, "payment_intent.succeeded", body, attempts: 0);
        await DrainAsync();
        var verified = await hub.MicromasteryAsync("stripe-payment-link", m => m.VerifiedAt is not null, "the payoff verified");
        var id = await ScalarAsync("SELECT id FROM inbox_events");
        var evidenceBefore = await ScalarAsync("SELECT count(*) FROM evidence");

        var previous = await hub.Service<InboxStore>().ReplayAsync(id, "the test", CancellationToken.None);
        await DrainAsync();

        Assert.Equal(InboxState.Processed, previous);
        var detail = (await hub.Service<InboxStore>().GetAsync(id, CancellationToken.None))!;
        Assert.Equal(InboxState.Processed, detail.Event.State);
        Assert.Equal(1, detail.Event.Attempts);
        Assert.Equal(evidenceBefore, await ScalarAsync("SELECT count(*) FROM evidence"));
        Assert.Equal(1L, evidenceBefore);
        Assert.Equal(verified.VerifiedAt, (await hub.MicromasteryAsync("stripe-payment-link")).VerifiedAt);
        Assert.Equal("the test", Assert.Single(detail.Replays).By);
    }

    [Fact]
    public async Task ReplayFailed_InAProviderFilter_ReplaysOnlyThatProvidersFailedEvents()
    {
        await InsertAsync("nope", "evt_a", InboxState.Failed);
        await InsertAsync("nope", "evt_b", InboxState.Failed);
        await InsertAsync("nope", "evt_c", InboxState.Ignored);
        await InsertAsync("other", "evt_d", InboxState.Failed);

        var count = await hub.Service<InboxStore>().ReplayFailedAsync(InboxFilter.All with { Provider = "nope" }, "the test", CancellationToken.None);
        await DrainAsync();

        Assert.Equal(2, count);
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM inbox_events WHERE provider = 'nope' AND state = 2")); // no handler: ignored by the drain
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM inbox_events WHERE provider = 'other' AND state = 3"));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM inbox_replays WHERE previous_state = 3 AND replayed_by = 'the test'"));
    }

    // What the hub's background drain does after a delivery or a replay, run here to its end.
    private Task<int> DrainAsync() => hub.Service<InboxDrainJob>().RunAsync(CancellationToken.None);

    private async Task InsertAsync(string provider, string eventId, InboxState state, string eventType = "test.event", string body = "{}", int attempts = 5)
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO inbox_events (provider, event_id, event_type, received_at, body, state, attempts, note) VALUES (@provider, @eventId, @eventType, @now, @body, @state, @attempts, 'for the test')",
            new { provider, eventId, eventType, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), body, state = (int)state, attempts });
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}

public sealed class InboxStoreTests_Sqlite(SqliteStore store) : InboxStoreTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class InboxStoreTests_Postgres(PostgresStore store) : InboxStoreTests(store), IClassFixture<PostgresStore>;
