using System.Data.Common;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Migration 008 copies each observation's time onto its evidence rows, so the practice-window test is an
/// index seek: evidence stored before the migration must come out with its observation's time. The scripts run on
/// a bare connection (no hub); the PostgreSQL twin is marked.
/// </summary>
public abstract class EvidenceWindowMigrationTests
{
    private const int Version = 8;

    protected static async Task AssertBackfilledAsync(DbConnection connection, StorageProvider provider)
    {
        var scripts = Migrator.Scripts(provider);
        foreach (var script in scripts.Where(s => s.Version < Version))
        {
            await connection.ExecuteAsync(script.Sql);
        }

        // Two observations at different times, the first with evidence for two checks.
        foreach (var (ext, at) in new[] { ("pi_old", 1_234_567_890_000L), ("pi_new", 1_795_000_000_000L) })
        {
            var id = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO observations (source, kind, external_id, observed_at, url, facts, recorded_at) VALUES ('stripe', 'payment', @ext, @at, NULL, '{}', @at) RETURNING id",
                new { ext, at });
            await connection.ExecuteAsync("INSERT INTO evidence (slug, check_id, observation_id, created_at) VALUES ('s', 'stripe.test-payment', @id, 1)", new { id });
            if (ext == "pi_old")
            {
                await connection.ExecuteAsync("INSERT INTO evidence (slug, check_id, observation_id, created_at) VALUES ('t', 'stripe.test-payment', @id, 1)", new { id });
            }
        }

        await connection.ExecuteAsync(scripts.Single(s => s.Version == Version).Sql);

        var rows = (await connection.QueryAsync<(string Slug, long ObservedAt)>(
            "SELECT e.slug, e.observed_at FROM evidence e ORDER BY e.id")).ToList();
        Assert.Equal([("s", 1_234_567_890_000L), ("t", 1_234_567_890_000L), ("s", 1_795_000_000_000L)], rows);
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM evidence WHERE slug = 's' AND check_id = 'stripe.test-payment' AND observed_at >= 1700000000000"));
    }
}

public sealed class EvidenceWindowMigrationTests_Sqlite : EvidenceWindowMigrationTests
{
    [Fact]
    public async Task BackfillsObservedAtOnExistingEvidence()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hub-008-{Guid.NewGuid():N}.db");
        try
        {
            await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
            await connection.OpenAsync();
            await AssertBackfilledAsync(connection, StorageProvider.Sqlite);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

[Trait(Needs.Key, Needs.Postgres)]
public sealed class EvidenceWindowMigrationTests_Postgres : EvidenceWindowMigrationTests
{
    [Fact]
    public async Task BackfillsObservedAtOnExistingEvidence()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("hub_008");
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await AssertBackfilledAsync(connection, StorageProvider.Postgres);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }
}
