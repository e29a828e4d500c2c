using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;
using Npgsql;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// A database made at migration level 008 (before the summaries), with evidence, a refund and practice in it: the hub
/// started on it builds every summary (migration 020 and the start-up rebuild), and the report reads them.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class SummaryMigrationTests
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

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task DatabaseAtTheLevelBefore_GetsItsSummariesBuilt(StorageProvider provider)
    {
        await using var hub = await DedicatedHub.CreateAsync(provider, Stack);
        await using (var connection = await OpenAsync(hub))
        {
            await SeedAtPreviousLevelAsync(connection, provider);
        }

        await using var factory = hub.Start();
        using var client = factory.CreateClient();
        var services = factory.Services;

        var m = await Eventually.ReturnsAsync(() => client.MicromasteryAsync("stripe-payment-link"), r => r.EvidenceCount == 3, "the migrated evidence summed");
        Assert.Equal(2, m.Summary!.InWindow);
        Assert.Equal(1, m.Summary.PriorCount);
        Assert.Equal(1, m.Summary.GoneCount);
        Assert.Equal(CheckStates.Holds, Assert.Single(m.Checks).State);
        Assert.Equal(130, m.Practice!.Minutes);
        Assert.Equal(["price 1900 usd", "price 4900 usd"], m.Repeatability!.Contexts.Select(c => c.Context));
        var summaries = services.GetRequiredService<EvidenceSummaries>();
        var definition = services.GetRequiredService<StackStore>().Current.Micromasteries.Single();
        await using var check = await services.GetRequiredService<HubDatabase>().OpenAsync();
        Assert.Equal((await summaries.ComputeAsync(check, null, definition)).ToString(), (await EvidenceSummaries.ReadAsync(check, null, definition.Slug)).ToString());
    }

    private static async Task<DbConnection> OpenAsync(DedicatedHub hub)
    {
        DbConnection connection;
        if (hub.Provider == StorageProvider.Postgres)
        {
            connection = new NpgsqlConnection(hub.Postgres);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(hub.SqlitePath)!);
            connection = new SqliteConnection($"Data Source={hub.SqlitePath};Pooling=False");
        }

        await connection.OpenAsync();
        return connection;
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
