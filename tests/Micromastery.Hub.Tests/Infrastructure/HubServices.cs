using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// The hub's services registered as <c>Program.cs</c> registers them, over a real SQLite file in a temporary folder
/// (or a PostgreSQL database), built but never started: no web server, no HTTP, no Hangfire server, no hosted
/// service runs. A test calls the service it tests; a job that service enqueues waits in Hangfire's in-memory
/// storage unless the test runs it. For tests of a rule, a renderer or a client, where the host is not what is tested.
/// </summary>
public sealed class HubServices : IAsyncDisposable
{
    private readonly IHost _host;

    private HubServices(IHost host, string directory, CapturedLogs logs)
    {
        _host = host;
        Directory = directory;
        Logs = logs;
    }

    public string Directory { get; }

    public string StackPath => Path.Combine(Directory, "stack.yml");

    public IServiceProvider Services => _host.Services;

    /// <summary>What the services logged at Warning and above.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>
    /// Services over a new database (SQLite, or the PostgreSQL database <paramref name="postgres"/> names), migrated, with
    /// <paramref name="stack"/> loaded. <paramref name="clock"/> replaces the hub's clock (e.g. a FakeTimeProvider).
    /// </summary>
    public static async Task<HubServices> CreateAsync(
        string stack = HubFixture.DefaultStack, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null, string? postgres = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("hub-services-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "stack.yml"), stack);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Testing",
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = directory,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = (postgres is null ? StorageProvider.Sqlite : StorageProvider.Postgres).ToString(),
            ["Storage:DataDirectory"] = Path.Combine(directory, "data"),
            ["Stack:Path"] = Path.Combine(directory, "stack.yml"),
            ["Stripe:WebhookSecret"] = HubFactory.StripeSecret,
            ["ConnectionStrings:Hub"] = postgres,
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Warning);
        var services = new HubServices(Compose(builder, clock), directory, logs);

        await services.Service<Migrator>().MigrateAsync(CancellationToken.None);
        var errors = services.Service<StackStore>().Reload();
        Assert.True(errors.Count == 0, "test stack is invalid: " + string.Join("; ", errors));
        return services;
    }

    // The registrations of Program.cs; the request pipeline and the endpoints are not built.
    private static IHost Compose(HostApplicationBuilder builder, TimeProvider? clock)
    {
        Program.AddServices(builder);
        if (clock is not null)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(clock));
        }

        return builder.Build();
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Records observations as a poll or the inbox does: one ledger batch, committed.</summary>
    internal async Task RecordAsync(IReadOnlyList<Observation> observations)
    {
        await using var batch = await Service<PayoffLedger>().BeginAsync(CancellationToken.None);
        await batch.RecordAsync(observations, CancellationToken.None);
        await batch.CompleteAsync(CancellationToken.None);
    }

    /// <summary>
    /// A delivery as the inbox applies it once stored: the provider's webhook source maps it, and its observations and
    /// rechecks go into one ledger batch. No HTTP, signature or inbox row: for the rules downstream of the inbox.
    /// </summary>
    internal async Task<InboxOutcome> ApplyWebhookAsync(string provider, string eventType, string body)
    {
        var source = Services.GetServices<IWebhookSource>().Single(s => s.Provider == provider);
        var eventId = System.Text.Json.Nodes.JsonNode.Parse(body)?["id"]?.ToString() ?? Guid.NewGuid().ToString("N");
        var outcome = source.Map(new StoredEvent(0, provider, eventId, eventType, body, Service<TimeProvider>().GetUtcNow()));
        await using var batch = await Service<PayoffLedger>().BeginAsync(CancellationToken.None);
        await batch.RecordAsync(outcome.Observations, CancellationToken.None);
        if (outcome.Rechecks is { Count: > 0 } rechecks)
        {
            await batch.RecheckAsync(rechecks, CancellationToken.None);
        }

        await batch.CompleteAsync(CancellationToken.None);
        return outcome;
    }

    /// <summary>The micromastery, asserted to be as <paramref name="expected"/> says (what a hub test waits for, a direct call has done).</summary>
    internal async Task<MicromasteryReport> MicromasteryAsync(string slug, Func<MicromasteryReport, bool> expected, string what)
    {
        var m = await MicromasteryAsync(slug);
        Assert.True(expected(m), $"expected {what}");
        return m;
    }

    /// <summary>The micromastery as <c>GET /api/stack</c> reports it (the endpoint answers the same reporter's stack).</summary>
    internal async Task<MicromasteryReport> MicromasteryAsync(string slug) =>
        (await Service<PayoffReporter>().BuildAsync(CancellationToken.None)).Micromasteries.Single(m => m.Slug == slug);

    /// <summary>Writes <paramref name="yaml"/> as the stack file and loads it, as an edit of the file would.</summary>
    public void LoadStack(string yaml)
    {
        File.WriteAllText(StackPath, yaml);
        var errors = Service<StackStore>().Reload();
        Assert.True(errors.Count == 0, "test stack is invalid: " + string.Join("; ", errors));
    }

    public async ValueTask DisposeAsync()
    {
        // Never started, so nothing to stop: disposing releases the database and the stack watcher.
        var database = Service<HubDatabase>();
        _host.Dispose();
        if (database.Provider == StorageProvider.Sqlite)
        {
            // Pooled connections hold the file open; this database's pool only, the other tests' stay.
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString));
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }

        await Task.CompletedTask;
    }
}
