using Hangfire;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Every service answers with an error whose body repeats the credential the hub sent (as careless
/// APIs and proxies do). Whatever the hub makes of it — check messages, /api/stack, logs, the retry
/// reasons the dashboard shows — must not contain any credential.
/// </summary>
public abstract class CredentialLeakTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Publication = "pub_00000000-0000-0000-0000-000000000000";

    private static readonly string[] Credentials =
    [
        ServicesHub.GitHubToken, "sk_test_hub_0123456789", "cal_test_0123456789", "beehiiv_test_key",
        ServicesHub.GitHubSecret, ServicesHub.CalComSecret, HubFactory.StripeSecret,
    ];

    public Task InitializeAsync() => hub.ResetServicesAsync($$"""
        timeZone: UTC
        micromasteries:
          - slug: everything
            name: Every service at once
            layer: A
            started: 2026-11-20
            checks:
              - type: github.workflow-run
                repo: octo-org/octo-repo
              - type: stripe.test-payment
              - type: stripe.payment-link
              - type: newsletter.published
                publication: {{Publication}}
              - type: newsletter.subscribers
                publication: {{Publication}}
                min: 1
              - type: calcom.event-types
                tiers: 15:free,30:paid
              - type: calcom.booking
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    private static void EchoCredentials(WireMockServer server, int status)
    {
        const string echo = "{{request.headers.Authorization}}";
        server.Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithHeader("Retry-After", "1")
                .WithBody($$$"""{"message":"Bad credentials {{{echo}}}","error":{"type":"api_error","message":"Invalid key {{{echo}}}"},"status":"error"}""")
                .WithTransformer());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(429)]
    public async Task ErrorBodiesRepeatingTheCredential_NeverBringItIntoMessagesLogsOrTheDashboard(int status)
    {
        foreach (var server in new[] { hub.GitHub, hub.Stripe, hub.CalCom, hub.Beehiiv })
        {
            EchoCredentials(server, status);
        }

        using (var probe = new HttpClient())
        {
            // The stand-in really does repeat what it was sent, so this test can fail.
            probe.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer probe-value");
            Assert.Contains("probe-value", await (await probe.GetAsync(hub.Stripe.Url + "/v1/anything")).Content.ReadAsStringAsync());
        }

        hub.Factory.Logs.Clear();
        var recurring = hub.Service<IRecurringJobManager>();
        var checks = (await hub.Client.MicromasteryAsync("everything")).Checks;
        foreach (var check in checks)
        {
            recurring.Trigger(CheckJob.IdFor("everything", check.Id));
        }

        var after = await Eventually.ReturnsAsync(() => hub.Client.MicromasteryAsync("everything"),
            m => m.Checks.All(c => c.LastAttemptAt is not null), "every check to be attempted");
        await hub.QuiesceAsync();

        Assert.All(after.Checks, c => Assert.NotEqual(CheckStates.Holds, c.State));
        Assert.All(after.Checks, c => Assert.False(string.IsNullOrEmpty(c.Message), $"{c.Id} says why it is {c.State}"));
        var monitor = hub.Service<JobStorage>().GetMonitoringApi();
        var jobHistory = monitor.ScheduledJobs(0, 100).Select(j => j.Key).Concat(monitor.FailedJobs(0, 100).Select(j => j.Key))
            .SelectMany(id => monitor.JobDetails(id).History)
            .Select(h => h.Reason + " " + string.Join(" ", h.Data.Values));
        var everything = new[] { await hub.Client.GetStringAsync("/api/stack") }
            .Concat(hub.Factory.Logs.Entries)
            .Concat(jobHistory)
            .ToList();
        Assert.NotEmpty(hub.Factory.Logs.Entries);
        var leaks = everything.Where(text => Credentials.Any(c => text.Contains(c, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, "credentials leaked in:\n" + string.Join("\n---\n", leaks));
    }
}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class CredentialLeakTests_Sqlite(SqliteServicesHub hub) : CredentialLeakTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class CredentialLeakTests_Postgres(PostgresServicesHub hub) : CredentialLeakTests(hub);
