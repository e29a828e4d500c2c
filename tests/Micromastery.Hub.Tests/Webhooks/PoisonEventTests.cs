using System.Text.Json.Nodes;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// An event that cannot be mapped or recorded fails alone; the drain goes on behind it. On the hub's services without a
/// host, both storage providers: deliveries go through the receiver and the inbox's group commit (<see cref="WebhookInbox"/>),
/// and the drain is run as the hub runs it after a commit left events unprocessed (and as its periodic sweep does).
/// </summary>
public abstract class PoisonEventTests(StoreFixture store) : IAsyncLifetime
{
    private const string PoisonId = "pi_poison_recording_fails";
    private const int MaxAttempts = 6;

    private HubServices _hub = null!;
    private WebhookInbox _inbox = null!;

    // A new database per test: the trigger goes with it.
    public async Task InitializeAsync()
    {
        _hub = await store.CreateAsync();
        _inbox = await WebhookInbox.StartAsync(_hub);
    }

    public async Task DisposeAsync() => await _inbox.DisposeAsync();

    [Fact]
    public async Task EventWhoseRecordingThrows_FailsAfterItsAttemptsWhileTheHundredBehindItAreProcessed()
    {
        await InstallPoisonTriggerAsync();
        var poison = StripeEvents.PaymentIntentSucceeded(paymentIntentId: PoisonId);
        Assert.Equal(200, (await PostAsync(poison)).Status);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(200, (await PostAsync(StripeEvents.PaymentIntentSucceeded())).Status);
        }

        await DrainAsync(); // the drain the commit signals for what it left unprocessed
        Assert.Equal(100, await CountAsync("state = 1"));
        var poisonEvent = await DriveToTheEndAsync(PoisonId);

        Assert.Equal((int)InboxState.Failed, poisonEvent.State);
        Assert.Equal(MaxAttempts, poisonEvent.Attempts);
        Assert.Contains("could not be recorded after 6 attempts", poisonEvent.Note, StringComparison.Ordinal);
        Assert.Contains("poisoned for the test", poisonEvent.Note, StringComparison.Ordinal);
        Assert.Equal(100, await CountAsync("state = 1"));
        Assert.Equal(100L, await ScalarAsync("SELECT count(*) FROM observations"));
    }

    [Fact]
    public async Task EventWhoseMappingThrows_FailsAfterItsAttemptsAndTheNextIsProcessed()
    {
        var unreadable = StripeEvents.Envelope("payment_intent.succeeded", new JsonObject { ["id"] = "pi_x", ["status"] = "succeeded", ["livemode"] = false });
        var node = JsonNode.Parse(unreadable)!;
        node["data"] = "not an object";
        unreadable = node.ToJsonString();
        Assert.Equal(200, (await PostAsync(unreadable)).Status);
        Assert.Equal(200, (await PostAsync(StripeEvents.PaymentIntentSucceeded())).Status);

        await DrainAsync(); // the drain the commit signals for what it left unprocessed
        Assert.Equal(1, await CountAsync("state = 1"));
        var failed = await DriveToTheEndAsync(eventIdOf: node["id"]!.GetValue<string>());

        Assert.Equal((int)InboxState.Failed, failed.State);
        Assert.Equal(MaxAttempts, failed.Attempts);
        Assert.Contains("could not be read after 6 attempts", failed.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StripeObjectIdOf6000Characters_FailsAtOnceAndDoesNotBlockTheDrain()
    {
        var longId = "pi_" + new string('x', 6000);
        Assert.Equal(200, (await PostAsync(StripeEvents.PaymentIntentSucceeded(paymentIntentId: longId))).Status);
        for (var i = 0; i < 10; i++)
        {
            await PostAsync(StripeEvents.PaymentIntentSucceeded());
        }

        await DrainAsync(); // the drain the commit signals for what it left unprocessed
        Assert.Equal(10, await CountAsync("state = 1"));
        var failed = await EventAsync("state <> 0 AND length(body) > 6000");

        Assert.Equal((int)InboxState.Failed, failed!.State);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal("could not be recorded: stripe id is 6003 characters; ids are 1 to 255", failed.Note);
        Assert.Equal(10L, await ScalarAsync("SELECT count(*) FROM observations"));
    }

    /// <summary>
    /// Runs the drain as the periodic sweep would until the event leaves the queue: after each failed attempt the
    /// event waits out its backoff (a drain right away leaves it alone), then the wait is cut short to go on.
    /// </summary>
    private async Task<InboxRow> DriveToTheEndAsync(string? paymentIntent = null, string? eventIdOf = null)
    {
        var where = eventIdOf is not null ? $"event_id = '{eventIdOf}'" : $"body LIKE '%{paymentIntent}%'";
        for (var run = 0; run < MaxAttempts + 2; run++)
        {
            var row = await EventAsync(where);
            if (row is { State: not 0 })
            {
                return row;
            }

            if (row!.Attempts > 0)
            {
                var wait = DateTimeOffset.FromUnixTimeMilliseconds(row.NextAttemptAt) - DateTimeOffset.UtcNow;
                var expected = InboxProcessor.RetryDelays[row.Attempts - 1];
                Assert.InRange(wait, expected - TimeSpan.FromSeconds(30), expected);
                await DrainAsync();
                Assert.Equal(row.Attempts, (await EventAsync(where))!.Attempts);
                await ScalarAsync($"UPDATE inbox_events SET next_attempt_at = 0 WHERE {where}");
            }

            // Exactly one attempt is made, and counted.
            await DrainAsync();
            var after = (await EventAsync(where))!;
            Assert.True(after.State != 0 || after.Attempts == row.Attempts + 1, $"one attempt counted: {row.Attempts} -> {after.Attempts}");
        }

        return (await EventAsync(where))!;
    }

    private Task<int> DrainAsync() => _inbox.DrainAsync();

    private async Task InstallPoisonTriggerAsync()
    {
        await using var connection = await _hub.Service<HubDatabase>().OpenAsync();
        await connection.ExecuteAsync(store.Provider == StorageProvider.Postgres
            ? $"""
               CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN IF NEW.external_id = '{PoisonId}' THEN RAISE EXCEPTION 'poisoned for the test'; END IF; RETURN NEW; END $$;
               CREATE TRIGGER poison BEFORE INSERT ON observations FOR EACH ROW EXECUTE FUNCTION poison();
               """
            : $"CREATE TRIGGER poison BEFORE INSERT ON observations WHEN NEW.external_id = '{PoisonId}' BEGIN SELECT RAISE(ABORT, 'poisoned for the test'); END");
    }

    private Task<WebhookReceipt> PostAsync(string body) =>
        _inbox.ReceiveAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));

    private async Task<long> CountAsync(string where) => await ScalarAsync($"SELECT count(*) FROM inbox_events WHERE {where}");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await _hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private async Task<InboxRow?> EventAsync(string where)
    {
        await using var connection = await _hub.Service<HubDatabase>().OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<InboxRow>($"SELECT state AS State, attempts AS Attempts, note AS Note, next_attempt_at AS NextAttemptAt FROM inbox_events WHERE {where}");
    }

    private sealed class InboxRow
    {
        public int State { get; set; }
        public int Attempts { get; set; }
        public string? Note { get; set; }
        public long NextAttemptAt { get; set; }
    }
}

public sealed class PoisonEventTests_Sqlite(SqliteStore store) : PoisonEventTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class PoisonEventTests_Postgres(PostgresStore store) : PoisonEventTests(store), IClassFixture<PostgresStore>;
