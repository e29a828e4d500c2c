using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using WireMock.Server;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// WireMock stand-ins for api.github.com, api.stripe.com, api.cal.com, api.beehiiv.com and a feed/landing host, and the
/// hub's services over them (<see cref="HubServices"/>: a real SQLite file, no host), with the settings
/// <see cref="ServicesHub"/> gives its hub. For the checks' and clients' rules; <see cref="ServicesHub"/> stays for
/// what goes through HTTP.
/// </summary>
public class ServiceStandIns : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private HubServices? _services;
    private DateTime _since = DateTime.MinValue;

    public WireMockServer GitHub { get; } = WireMockServer.Start();

    public WireMockServer Stripe { get; } = WireMockServer.Start();

    public WireMockServer CalCom { get; } = WireMockServer.Start();

    public WireMockServer Beehiiv { get; } = WireMockServer.Start();

    public WireMockServer Web { get; } = WireMockServer.Start();

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public HubServices Hub => _services ?? throw new InvalidOperationException("call ResetServicesAsync first");

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>New services over a new database with <paramref name="stackYaml"/>, fresh stubs and an empty request log.</summary>
    public async Task ResetServicesAsync(string stackYaml, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        foreach (var server in Servers)
        {
            server.Reset();
        }

        var all = ServicesHub.SettingsFor(GitHub, Stripe, CalCom, Beehiiv, Certificates);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var database = await NewDatabaseAsync();
        if (database is not null)
        {
            _databases.Add(database);
        }

        _services = await HubServices.CreateAsync(stackYaml, all, clock, database);
        _since = DateTime.UtcNow;
    }

    /// <summary>
    /// For a test of a poll that times out: each attempt gives up after 300 ms (the two attempts then take well under a
    /// second), not after the 2.5 s the other tests leave a stand-in on a loaded machine; the test's stub waits longer.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> ShortAttempts { get; } = new Dictionary<string, string?> { ["Polling:AttemptTimeoutMs"] = "300" };

    public T Service<T>() where T : notnull => Hub.Service<T>();

    /// <summary>Requests this test made (a delayed stub logs its request when it answers, so they are told apart by arrival).</summary>
    public IReadOnlyList<WireMock.Logging.ILogEntry> Requests(WireMockServer server) =>
        server.LogEntries.Where(e => e.RequestMessage.DateTime >= _since).ToList();

    /// <summary>Changes one setting (e.g. removes a credential); options re-bind on next use.</summary>
    public void SetSetting<TOptions>(string key, string? value)
        where TOptions : class
    {
        Service<IConfiguration>()[key] = value;
        Service<IOptionsMonitorCache<TOptions>>().Clear();
    }

    internal Task<CheckRunResult?> RunCheckAsync(string slug, string checkId) => Service<CheckRunner>().RunAsync(slug, checkId, CancellationToken.None);

    /// <summary>The micromastery as <c>GET /api/stack</c> reports it, from the same reporter.</summary>
    internal Task<MicromasteryReport> MicromasteryAsync(string slug) => Hub.MicromasteryAsync(slug);

    /// <summary>The micromastery, asserted verified (a poll records its evidence and verdict before it returns).</summary>
    internal async Task<MicromasteryReport> VerifiedAsync(string slug)
    {
        var m = await MicromasteryAsync(slug);
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        return m;
    }

    /// <summary>The body <c>GET /api/stack</c> answers: the reporter's stack, in the web's JSON defaults.</summary>
    public async Task<string> StackJsonAsync() =>
        System.Text.Json.JsonSerializer.Serialize(await Service<PayoffReporter>().BuildAsync(CancellationToken.None), HubClientExtensions.Json);

    public async Task<long> EvidenceCountAsync(string slug)
    {
        await using var connection = await Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM evidence WHERE slug = @slug", new { slug });
    }

    private IEnumerable<WireMockServer> Servers => [GitHub, Stripe, CalCom, Beehiiv, Web];

    /// <summary>A connection string to a new PostgreSQL database, or null for a new SQLite file.</summary>
    protected virtual Task<string?> NewDatabaseAsync() => Task.FromResult<string?>(null);

    protected virtual Task DropDatabaseAsync(string database) => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        foreach (var database in _databases)
        {
            await DropDatabaseAsync(database);
        }

        foreach (var server in Servers)
        {
            server.Stop();
        }

        Certificates.Dispose();
    }
}

/// <summary>The same stand-ins with the services on a new PostgreSQL database per reset.</summary>
[Starts(Needs.Postgres)]
public sealed class PostgresServiceStandIns : ServiceStandIns
{
    protected override async Task<string?> NewDatabaseAsync() => await PostgresServer.CreateDatabaseAsync("standins");

    protected override Task DropDatabaseAsync(string database) => PostgresServer.DropDatabaseAsync(database);
}

/// <summary>
/// The SQLite stand-ins' tests, one at a time as on the shared services hub: their polls have short attempt timeouts,
/// which many of them at once on a loaded machine would hit.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StandInsCollection : ICollectionFixture<ServiceStandIns>
{
    public const string Name = "service stand-ins without a host";
}
