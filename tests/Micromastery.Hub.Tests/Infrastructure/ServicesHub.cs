using Dapper;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using WireMock.Server;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// A hub whose service base URLs point at WireMock stand-ins for api.github.com, api.stripe.com,
/// api.cal.com, api.beehiiv.com and a feed/landing host, with small resilience timeouts.
/// </summary>
public abstract class ServicesHub(StorageProvider provider) : HubFixture(provider), IAsyncLifetime
{
    public const string GitHubSecret = "github-webhook-secret-for-tests";
    public const string CalComSecret = "calcom-webhook-secret-for-tests";
    public const string GitHubToken = "github-token-for-tests-not-a-real-token";

    public WireMockServer GitHub { get; } = WireMockServer.Start();

    public WireMockServer Stripe { get; } = WireMockServer.Start();

    public WireMockServer CalCom { get; } = WireMockServer.Start();

    public WireMockServer Beehiiv { get; } = WireMockServer.Start();

    public WireMockServer Web { get; } = WireMockServer.Start();

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    protected override IReadOnlyDictionary<string, string?> Settings => SettingsFor(GitHub, Stripe, CalCom, Beehiiv, Certificates);

    /// <summary>The hub's settings pointing every service at its stand-in, with small resilience timeouts and every webhook kit's secret.</summary>
    public static Dictionary<string, string?> SettingsFor(WireMockServer github, WireMockServer stripe, WireMockServer calCom, WireMockServer beehiiv, TestCertificates certificates)
    {
        var settings = new Dictionary<string, string?>
        {
            ["GitHub:Token"] = GitHubToken,
            ["GitHub:BaseUrl"] = github.Url + "/",
            ["GitHub:WebhookSecret"] = GitHubSecret,
            ["Stripe:ApiKey"] = "sk_test_hub_0123456789",
            ["Stripe:ApiBase"] = stripe.Url,
            ["CalCom:ApiKey"] = "cal_test_0123456789",
            ["CalCom:BaseUrl"] = calCom.Url + "/",
            ["CalCom:WebhookSecret"] = CalComSecret,
            ["Beehiiv:ApiKey"] = "beehiiv_test_key",
            ["Beehiiv:BaseUrl"] = beehiiv.Url + "/",
            ["Web:ExtraRootCertificates"] = certificates.RootPemPath,
            // Room for a stand-in's first answer on a loaded machine (a timed-out attempt carries no Retry-After and
            // fails a test for the wrong reason), still short of the 4 s the timeout tests' stubs wait.
            ["Polling:AttemptTimeoutMs"] = "2500",
            ["Polling:Retries"] = "1",
            ["Polling:RetryDelayMs"] = "10",
            ["Polling:MaxInCallRetryAfterSeconds"] = "1",
        };
        foreach (var (key, value) in WebhookKit.All.Values.SelectMany(k => k.HubSettings))
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Fresh stubs, an empty database, the given stack, and no retries left over from a previous test.</summary>
    public async Task ResetServicesAsync(string stackYaml)
    {
        // The previous test's jobs finish first (a failing one may still schedule its retry), then the
        // leftovers go, and only then the stubs and their request logs are reset for this test.
        await ResetAsync(stackYaml);
        var jobs = Service<IBackgroundJobClient>();
        var monitor = Service<JobStorage>().GetMonitoringApi();
        foreach (var job in monitor.ScheduledJobs(0, 1000))
        {
            jobs.Delete(job.Key);
        }

        await QuiesceAsync();
        foreach (var server in new[] { GitHub, Stripe, CalCom, Beehiiv, Web })
        {
            server.Reset();
        }

        _since = DateTime.UtcNow;
    }

    private DateTime _since = DateTime.MinValue;

    /// <summary>
    /// Requests this test made. A stub that answers after a delay logs its request only when it answers,
    /// possibly during the next test, so requests are told apart by when they arrived.
    /// </summary>
    public IReadOnlyList<WireMock.Logging.ILogEntry> Requests(WireMockServer server) =>
        server.LogEntries.Where(e => e.RequestMessage.DateTime >= _since).ToList();

    /// <summary>Changes one setting of the running hub (e.g. removes a credential); options re-bind on next use.</summary>
    public void SetSetting<TOptions>(string key, string? value)
        where TOptions : class
    {
        Service<IConfiguration>()[key] = value;
        Service<IOptionsMonitorCache<TOptions>>().Clear();
    }

    internal Task<CheckRunResult?> RunCheckAsync(string slug, string checkId) => Service<CheckRunner>().RunAsync(slug, checkId, CancellationToken.None);

    public async Task<long> EvidenceCountAsync(string slug)
    {
        await using var connection = await Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM evidence WHERE slug = @slug", new { slug });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        foreach (var server in new[] { GitHub, Stripe, CalCom, Beehiiv, Web })
        {
            server.Stop();
        }

        Certificates.Dispose();
    }
}

public sealed class SqliteServicesHub() : ServicesHub(StorageProvider.Sqlite);

[Starts(Needs.Postgres)]
public sealed class PostgresServicesHub() : ServicesHub(StorageProvider.Postgres);

[CollectionDefinition(Name)]
public sealed class SqliteServicesCollection : ICollectionFixture<SqliteServicesHub>
{
    public const string Name = "hub with service stand-ins on SQLite";
}

[CollectionDefinition(Name)]
public sealed class PostgresServicesCollection : ICollectionFixture<PostgresServicesHub>
{
    public const string Name = "hub with service stand-ins on PostgreSQL";
}
