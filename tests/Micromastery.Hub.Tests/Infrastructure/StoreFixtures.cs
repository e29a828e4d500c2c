using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// Makes <see cref="HubServices"/> (no host) on one storage provider, for tests that run the same rule on SQLite and on
/// PostgreSQL: each call gets a new database; all of them go when the fixture does.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private readonly List<HubServices> _made = [];

    public abstract StorageProvider Provider { get; }

    public async Task<HubServices> CreateAsync(string stack = HubFixture.DefaultStack, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        var services = await HubServices.CreateAsync(stack, settings, clock, await NewDatabaseAsync());
        _made.Add(services);
        return services;
    }

    /// <summary>A connection string to a new PostgreSQL database, or null for a new SQLite file.</summary>
    protected abstract Task<string?> NewDatabaseAsync();

    protected virtual Task DropDatabasesAsync() => Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var services in _made)
        {
            await services.DisposeAsync();
        }

        await DropDatabasesAsync();
    }
}

public sealed class SqliteStore : StoreFixture
{
    public override StorageProvider Provider => StorageProvider.Sqlite;

    protected override Task<string?> NewDatabaseAsync() => Task.FromResult<string?>(null);
}

[Starts(Needs.Postgres)]
public sealed class PostgresStore : StoreFixture
{
    private readonly List<string> _databases = [];

    public override StorageProvider Provider => StorageProvider.Postgres;

    protected override async Task<string?> NewDatabaseAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync("services");
        _databases.Add(database);
        return database;
    }

    protected override async Task DropDatabasesAsync()
    {
        foreach (var database in _databases)
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
