namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// The host-free twin of <see cref="EmailHubFixture"/>: a maildev to send to and <see cref="HubServices"/> with the same
/// email settings, each on a new database of the store's provider.
/// </summary>
public abstract class EmailStore : IAsyncLifetime
{
    private readonly StoreFixture _store;

    protected EmailStore(StoreFixture store)
    {
        _store = store;
        MailDev = MailDevServer.Start();
        OverrideFolder = Directory.CreateTempSubdirectory("hub-templates-").FullName;
    }

    public MailDevServer MailDev { get; }

    public string OverrideFolder { get; }

    public Task<HubServices> CreateAsync(string stack = HubFixture.DefaultStack) => _store.CreateAsync(stack, EmailHubFixture.SettingsFor(MailDev, OverrideFolder));

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        MailDev.Dispose();
        try
        {
            Directory.Delete(OverrideFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class SqliteEmailStore() : EmailStore(new SqliteStore());

[Starts(Needs.Postgres)]
public sealed class PostgresEmailStore() : EmailStore(new PostgresStore());
