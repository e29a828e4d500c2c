using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// A storage refusal of a few seconds fails nothing: the events it met wait and are processed once storage
/// is back, with no attempt counted against them, even when the drain runs again and again meanwhile.
/// </summary>
[Trait(Needs.Key, Needs.Postgres)]
public sealed class StorageOutageTests
{
    private const int Events = 5;

    [Fact]
    public async Task Postgres_EvidenceTableLockedForSeconds_DeliveriesStoredNothingFailedAllProcessedAfter()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Postgres);
        var database = new NpgsqlConnectionStringBuilder(hub.Postgres).Database!;
        await using (var admin = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            // The hub's writes give up a lock wait after 100 ms, the way a statement meets an outage, instead of waiting it out.
            await admin.ExecuteAsync($"ALTER DATABASE \"{database}\" SET lock_timeout = '100ms'");
        }

        var factory = hub.Start();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await using (var holder = new NpgsqlConnection(hub.Postgres))
        {
            await holder.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await holder.ExecuteAsync("LOCK TABLE observations IN ACCESS EXCLUSIVE MODE", transaction: hold);

            for (var i = 0; i < Events; i++)
            {
                var body = StripeEvents.PaymentIntentSucceeded();
                Assert.Equal(HttpStatusCode.OK, (await client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)))).StatusCode);
            }

            // More drains than an event has attempts, back to back, while recording is refused.
            await DrainRepeatedlyAsync(factory, InboxProcessor.MaxAttempts + 1);
            await hold.RollbackAsync();
        }

        await AssertAllProcessedNoneFailedAsync(factory);
    }

    [Fact]
    public async Task Sqlite_FileLockedForSeconds_StoredEventsWaitNothingFailedAllProcessedAfter()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(new Dictionary<string, string?> { ["Storage:SqliteBusyTimeoutSeconds"] = "1" });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        await StoreUnprocessedAsync(factory, Events);

        await using (var holder = new SqliteConnection($"Data Source={hub.SqlitePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await holder.ExecuteAsync("BEGIN EXCLUSIVE; INSERT INTO payoffs (slug, verified_at) VALUES ('lock-holder', 0);");
            await DrainRepeatedlyAsync(factory, InboxProcessor.MaxAttempts + 1);
            await holder.ExecuteAsync("ROLLBACK");
        }

        await AssertAllProcessedNoneFailedAsync(factory);
    }

    /// <summary>Events stored but not yet processed, as a restart leaves them.</summary>
    private static async Task StoreUnprocessedAsync(HubFactory factory, int count)
    {
        await using var connection = await factory.Services.GetRequiredService<HubDatabase>().OpenAsync();
        for (var i = 0; i < count; i++)
        {
            var body = StripeEvents.PaymentIntentSucceeded();
            var id = System.Text.Json.Nodes.JsonNode.Parse(body)!["id"]!.GetValue<string>();
            await connection.ExecuteAsync(
                "INSERT INTO inbox_events (provider, event_id, event_type, received_at, body) VALUES ('stripe', @id, 'payment_intent.succeeded', @now, @body)",
                new { id, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), body });
        }
    }

    private static async Task DrainRepeatedlyAsync(HubFactory factory, int runs)
    {
        for (var run = 0; run < runs; run++)
        {
            try
            {
                await ActivatorUtilities.CreateInstance<InboxDrainJob>(factory.Services).RunAsync(CancellationToken.None);
            }
            catch (Exception ex) when (StorageFaults.IsTransient(ex))
            {
                // The drain ends on an outage and is retried later: what matters is what it left in the inbox.
            }
        }
    }

    private static async Task AssertAllProcessedNoneFailedAsync(HubFactory factory)
    {
        await using var connection = await factory.Services.GetRequiredService<HubDatabase>().OpenAsync();
        var counted = await connection.QuerySingleAsync<(long Failed, long Attempted)>(
            "SELECT count(*) FILTER (WHERE state = 3), count(*) FILTER (WHERE attempts > 0 AND state = 0) FROM inbox_events");
        Assert.Equal((0L, 0L), counted);

        await Eventually.ReturnsAsync(async () =>
        {
            await ActivatorUtilities.CreateInstance<InboxDrainJob>(factory.Services).RunAsync(CancellationToken.None);
            return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE state = 1");
        }, n => n == Events, "every event to be processed once storage is back");
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE state <> 1"));
        Assert.Equal((long)Events, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM observations"));
    }
}
