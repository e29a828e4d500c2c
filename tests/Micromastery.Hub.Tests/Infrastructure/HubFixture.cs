using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// One running hub shared by a test collection; <see cref="ResetAsync"/> gives each test an empty
/// database and its own stack file.
/// </summary>
[Starts(Needs.Host)]
public abstract class HubFixture(StorageProvider provider) : IAsyncLifetime
{
    public const string DefaultStack = """
        timeZone: UTC
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
            checks:
              - type: stripe.test-payment
        """;

    public HubFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public StorageProvider Provider => provider;

    private string? _postgres;

    /// <summary>Settings added for every hub of this fixture (e.g. WireMock base URLs).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory($"hub-{provider.ToString().ToLowerInvariant()}-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "stack.yml"), DefaultStack);
        if (provider == StorageProvider.Postgres)
        {
            _postgres = await PostgresServer.CreateDatabaseAsync("hub");
        }

        Factory = new HubFactory(provider, directory, _postgres, Settings);
        Client = Factory.CreateClient();
    }

    /// <summary>Empties the hub's tables and loads <paramref name="stackYaml"/> as the stack.</summary>
    public async Task ResetAsync(string stackYaml = DefaultStack)
    {
        // Let the previous test's background jobs finish first, or they write into this test's data.
        await QuiesceAsync();
        await EmptyAllTablesAsync(Factory.Services.GetRequiredService<HubDatabase>());
        await File.WriteAllTextAsync(Factory.StackPath, stackYaml);
        var errors = Factory.Services.GetRequiredService<StackStore>().Reload();
        Assert.True(errors.Count == 0, "test stack is invalid: " + string.Join("; ", errors));
        await QuiesceAsync();
    }

    /// <summary>
    /// Waits until no Hangfire job is enqueued or running and the inbox has nothing unprocessed, seen
    /// twice in a row: a job just taken off its queue is briefly neither enqueued nor processing.
    /// </summary>
    public async Task QuiesceAsync()
    {
        var monitor = Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var database = Factory.Services.GetRequiredService<HubDatabase>();
        async Task<long> BusyAsync()
        {
            await using var connection = await database.OpenAsync();
            // An event waiting out its backoff is not work in flight (its next attempt may be hours away).
            var unprocessed = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM inbox_events WHERE state = 0 AND next_attempt_at <= @now", new { now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
            return monitor.ProcessingCount() + monitor.Queues().Sum(q => q.Length) + unprocessed;
        }

        var quietInARow = 0;
        await Eventually.ReturnsAsync(async () =>
        {
            quietInARow = await BusyAsync() == 0 ? quietInARow + 1 : 0;
            return quietInARow;
        }, n => n >= 3, "background jobs to finish");
    }

    /// <summary>Deletes every row of every hub table (all but schema_migrations), whatever features added them.</summary>
    internal static async Task EmptyAllTablesAsync(HubDatabase database)
    {
        await using var connection = await database.OpenAsync();
        if (database.Provider == StorageProvider.Postgres)
        {
            var tables = (await connection.QueryAsync<string>(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'")).ToList();
            // A recurring sweep may start between the quiet check and the TRUNCATE and lock the same
            // tables in another order; PostgreSQL then aborts one side with a deadlock. Try again.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await connection.ExecuteAsync($"TRUNCATE {string.Join(", ", tables)} RESTART IDENTITY CASCADE");
                    return;
                }
                catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DeadlockDetected && attempt < 5)
                {
                    await Task.Delay(50 * attempt);
                }
            }
        }

        var names = (await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'")).ToList();
        await connection.ExecuteAsync("PRAGMA foreign_keys = OFF");
        foreach (var name in names)
        {
            await connection.ExecuteAsync($"DELETE FROM \"{name}\"");
        }

        await connection.ExecuteAsync("PRAGMA foreign_keys = ON");
    }

    public T Service<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_postgres is not null)
        {
            await PostgresServer.DropDatabaseAsync(_postgres);
        }

        try
        {
            System.IO.Directory.Delete(Factory.Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class SqliteHub() : HubFixture(StorageProvider.Sqlite);

[Starts(Needs.Postgres)]
public sealed class PostgresHub() : HubFixture(StorageProvider.Postgres);

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteHub>
{
    public const string Name = "hub on SQLite";
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresHub>
{
    public const string Name = "hub on PostgreSQL";
}
