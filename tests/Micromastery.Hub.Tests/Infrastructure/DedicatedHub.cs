using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// A hub with its own folder and database, for tests that restart it, break its storage or change
/// its settings. <see cref="Start"/> may be called again after disposing the previous factory: the
/// new hub finds the same SQLite file or PostgreSQL database.
/// </summary>
[Starts(Needs.Host)]
public sealed class DedicatedHub : IAsyncDisposable
{
    private readonly List<HubFactory> _factories = [];

    private DedicatedHub(StorageProvider provider, string directory, string? postgres)
    {
        Provider = provider;
        Directory = directory;
        Postgres = postgres;
    }

    public StorageProvider Provider { get; }

    public string Directory { get; }

    public string? Postgres { get; }

    public string StackPath => Path.Combine(Directory, "stack.yml");

    /// <summary>The SQLite file the hub uses by default (under Storage:DataDirectory).</summary>
    public string SqlitePath => Path.Combine(Directory, "data", "hub.db");

    public static async Task<DedicatedHub> CreateAsync(StorageProvider provider, string stack = HubFixture.DefaultStack)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("hub-own-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "stack.yml"), stack);
        var postgres = provider == StorageProvider.Postgres ? await PostgresServer.CreateDatabaseAsync("hubown") : null;
        return new DedicatedHub(provider, directory, postgres);
    }

    /// <summary>A new hub process (in-memory test server) over this folder and database.</summary>
    public HubFactory Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var factory = new HubFactory(Provider, Directory, Postgres, settings ?? new Dictionary<string, string?>());
        _factories.Add(factory);
        return factory;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await PostgresServer.DropDatabaseAsync(Postgres);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
