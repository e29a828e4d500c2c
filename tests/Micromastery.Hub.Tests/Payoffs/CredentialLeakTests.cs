using Hangfire.States;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Every service answers with an error whose body repeats the credential the hub sent (as careless
/// APIs and proxies do). Whatever the hub makes of it — check messages, /api/stack, logs, the failure
/// Hangfire keeps and the dashboard shows — must not contain any credential. On the hub's services without a host:
/// each check's job body runs once, and its failure is kept as Hangfire keeps it (<see cref="FailedState"/>'s data; the
/// retry reason repeats the exception's message).
/// </summary>
public abstract class CredentialLeakTests(ServiceStandIns hub) : IAsyncLifetime
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

        hub.Hub.Logs.Clear();
        var job = hub.Service<CheckJob>();
        var jobHistory = new System.Collections.Concurrent.ConcurrentBag<string>();
        // At once, as Hangfire's workers run them (each waits out the stand-in's Retry-After).
        await Task.WhenAll((await hub.MicromasteryAsync("everything")).Checks.Select(async check =>
        {
            try
            {
                await job.RunAsync("everything", check.Id, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // What Hangfire stores for the failed attempt: the exception's type, message and details.
                jobHistory.Add(string.Join(" ", new FailedState(ex).SerializeData().Values));
            }
        }));

        var after = await hub.MicromasteryAsync("everything");

        Assert.All(after.Checks, c => Assert.NotNull(c.LastAttemptAt));
        Assert.All(after.Checks, c => Assert.NotEqual(CheckStates.Holds, c.State));
        Assert.All(after.Checks, c => Assert.False(string.IsNullOrEmpty(c.Message), $"{c.Id} says why it is {c.State}"));
        if (status == 500)
        {
            // A server error fails the job (Hangfire retries it), so what Hangfire keeps is really looked at.
            Assert.NotEmpty(jobHistory);
        }

        var everything = new[] { await hub.StackJsonAsync() }
            .Concat(hub.Hub.Logs.Entries)
            .Concat(jobHistory)
            .ToList();
        Assert.NotEmpty(hub.Hub.Logs.Entries);
        var leaks = everything.Where(text => Credentials.Any(c => text.Contains(c, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, "credentials leaked in:\n" + string.Join("\n---\n", leaks));
    }
}

[Collection(StandInsCollection.Name)]
public sealed class CredentialLeakTests_Sqlite(ServiceStandIns hub) : CredentialLeakTests(hub);

[Trait(Needs.Key, Needs.Postgres)]
public sealed class CredentialLeakTests_Postgres(PostgresServiceStandIns hub) : CredentialLeakTests(hub), IClassFixture<PostgresServiceStandIns>;
