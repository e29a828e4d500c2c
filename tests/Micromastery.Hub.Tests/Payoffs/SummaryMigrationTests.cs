using System.Data.Common;
using Dapper;
using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;
using Npgsql;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// A database made at migration level 008 (before the summaries), with evidence, a refund and practice in it: the hub's
/// services on it build every summary (migration 020, then the rebuild that start-up enqueues), and the report reads
/// them. The services are built without a host over the seeded SQLite file or PostgreSQL database; the PostgreSQL twin is marked.
/// </summary>
public abstract class SummaryMigrationTests
{
    private const int PreviousLevel = 8;

    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
            checks:
              - type: stripe.test-payment
        """;

    /// <summary>Seeds the database at the previous level, then builds the hub's services on it and asserts the summaries.</summary>
    protected static async Task AssertSummariesBuiltAsync(DbConnection seed, StorageProvider provider, IReadOnlyDictionary<string, string?>? settings, string? postgres)
    {
        await SeedAtPreviousLevelAsync(seed, provider);
        await seed.CloseAsync();
        await using var services = await HubServices.CreateAsync(Stack, settings, postgres: postgres);

        // What a starting hub does: its payoff jobs enqueue the rebuild, and Hangfire runs it.
        await services.Services.GetServices<IHostedService>().OfType<PayoffJobs>().Single().StartAsync(CancellationToken.None);
        var monitor = services.Service<JobStorage>().GetMonitoringApi();
        var enqueued = monitor.Queues().SelectMany(q => monitor.EnqueuedJobs(q.Name, 0, 100)).Select(j => j.Value.Job).ToList();
        Assert.Contains(enqueued, j => j.Type == typeof(ReevaluateJob) && j.Method.Name == nameof(ReevaluateJob.RebuildAsync));
        await services.Service<ReevaluateJob>().RebuildAsync(CancellationToken.None);

        var m = await services.MicromasteryAsync("stripe-payment-link");
        Assert.Equal(3, m.EvidenceCount);
        Assert.Equal(2, m.Summary!.InWindow);
        Assert.Equal(1, m.Summary.PriorCount);
        Assert.Equal(1, m.Summary.GoneCount);
        Assert.Equal(CheckStates.Holds, Assert.Single(m.Checks).State);
        Assert.Equal(130, m.Practice!.Minutes);
        Assert.Equal(["price 1900 usd", "price 4900 usd"], m.Repeatability!.Contexts.Select(c => c.Context));
        var summaries = services.Service<EvidenceSummaries>();
        var definition = services.Service<StackStore>().Current.Micromasteries.Single();
        await using var check = await services.Service<HubDatabase>().OpenAsync();
        Assert.Equal((await summaries.ComputeAsync(check, null, definition)).ToString(), (await EvidenceSummaries.ReadAsync(check, null, definition.Slug)).ToString());
    }

    private static async Task SeedAtPreviousLevelAsync(DbConnection connection, StorageProvider provider)
    {
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)");
        foreach (var script in Migrator.Scripts(provider).Where(s => s.Version <= PreviousLevel))
        {
            await connection.ExecuteAsync(script.Sql);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, 0)", new { v = script.Version, n = script.Name });
        }

        // Two payments in the window (one later refunded in full), one from before it.
        var inWindow = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        foreach (var (ext, at, amount) in new[] { ("pi_a", inWindow, "1900"), ("pi_b", inWindow + 3_600_000, "4900"), ("pi_old", inWindow - 30L * 86_400_000, "1900") })
        {
            var id = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO observations (source, kind, external_id, observed_at, url, facts, recorded_at) VALUES ('stripe', 'stripe.test-payment', @ext, @at, NULL, @facts, @at) RETURNING id",
                new { ext, at, facts = $$"""{"amount":"{{amount}}","currency":"usd","livemode":"false"}""" });
            await connection.ExecuteAsync(
                "INSERT INTO evidence (slug, check_id, observation_id, created_at, observed_at) VALUES ('stripe-payment-link', 'stripe.test-payment', @id, @at, @at)", new { id, at });
            if (ext == "pi_b")
            {
                await connection.ExecuteAsync("INSERT INTO evidence_rechecks (observation_id, state, detail, checked_at, confirmed_at) VALUES (@id, 'gone', 'fully refunded', @at, NULL)", new { id, at });
            }
        }

        foreach (var (id, day, minutes) in new[] { ("s1", "2026-11-20", 90), ("s2", "2026-11-21", 40) })
        {
            await connection.ExecuteAsync(
                "INSERT INTO practice_sessions (id, slug, started_at, local_date, minutes, note, recorded_at, updated_at) VALUES (@id, 'stripe-payment-link', 0, @day, @minutes, NULL, 0, 0)",
                new { id, day, minutes });
        }
    }
}

public sealed class SummaryMigrationTests_Sqlite : SummaryMigrationTests
{
    [Fact]
    public async Task DatabaseAtTheLevelBefore_GetsItsSummariesBuilt()
    {
        var data = Directory.CreateTempSubdirectory("hub-020-").FullName;
        try
        {
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "hub.db")};Pooling=False");
            await connection.OpenAsync();
            await AssertSummariesBuiltAsync(connection, StorageProvider.Sqlite, new Dictionary<string, string?> { ["Storage:DataDirectory"] = data }, postgres: null);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

[Trait(Needs.Key, Needs.Postgres)]
public sealed class SummaryMigrationTests_Postgres : SummaryMigrationTests
{
    [Fact]
    public async Task DatabaseAtTheLevelBefore_GetsItsSummariesBuilt()
    {
        var database = await PostgresServer.CreateDatabaseAsync("hub_020");
        try
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await AssertSummariesBuiltAsync(connection, StorageProvider.Postgres, settings: null, database);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
