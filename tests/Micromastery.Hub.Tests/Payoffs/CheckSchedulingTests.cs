using Dapper;
using Hangfire;
using Hangfire.Storage;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Recurring check jobs follow the stack file, catch-up polls what missed a run, and staleness shows. On the hub's
/// services without a host: the payoffs' jobs are started as at start-up (they sync the jobs into Hangfire's storage
/// and follow stack edits), and enqueued jobs run as a worker would. Hangfire running, retrying and listing the jobs is
/// in <see cref="CheckJobTests"/>.
/// </summary>
public abstract class CheckSchedulingTests(ServiceStandIns hub) : IAsyncLifetime
{
    /// <summary>A GitHub check every five minutes beside a manual one, and a Stripe staple on the default schedule.</summary>
    internal const string Stack = """
        timeZone: Europe/Istanbul
        micromasteries:
          - slug: cron
            name: Cron job with GitHub Actions
            layer: A
            started: 2026-11-20
            checks:
              - type: github.workflow-run
                repo: octo-org/octo-repo
                schedule: "*/5 * * * *"
              - type: manual
          - staple: stripe-payment-link
            started: 2026-11-20
            checks:
              - type: stripe.payment-link
        """;

    public async Task InitializeAsync()
    {
        await hub.ResetServicesAsync(Stack);
        await hub.Hub.Services.GetServices<IHostedService>().OfType<PayoffJobs>().Single().StartAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private List<RecurringJobDto> CheckJobs()
    {
        using var connection = hub.Service<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().Where(j => j.Id.StartsWith(CheckJob.IdPrefix, StringComparison.Ordinal)).OrderBy(j => j.Id, StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void EveryPollingCheck_IsARecurringJobWithTheStackScheduleAndTimeZone()
    {
        var jobs = CheckJobs();

        Assert.Equal(["check:cron:github.workflow-run", "check:stripe-payment-link:stripe.payment-link"], jobs.Select(j => j.Id));
        Assert.Equal("*/5 * * * *", jobs[0].Cron);
        Assert.Equal("0 * * * *", jobs[1].Cron);
        Assert.All(jobs, j => Assert.Equal("Europe/Istanbul", j.TimeZoneId));
    }

    [Fact]
    public async Task StackChange_AddsChangesAndRemovesJobs()
    {
        hub.Hub.LoadStack("""
            timeZone: UTC
            micromasteries:
              - slug: cron
                name: Cron job with GitHub Actions
                layer: A
                started: 2026-11-20
                checks:
                  - type: github.workflow-run
                    repo: octo-org/octo-repo
                    schedule: "0 6 * * *"
                  - type: http.page
                    url: https://example.com/
            """);

        // The change handler syncs on the stack's change event.
        var jobs = await Eventually.ReturnsAsync(() => Task.FromResult(CheckJobs()), j => j.Any(x => x.Id.EndsWith("http.page", StringComparison.Ordinal)) && j.Count == 2, "the jobs to follow the stack");

        Assert.Equal(["check:cron:github.workflow-run", "check:cron:http.page"], jobs.Select(j => j.Id));
        Assert.Equal("0 6 * * *", jobs[0].Cron);
        Assert.Equal("UTC", jobs[0].TimeZoneId);
    }

    [Fact]
    public async Task CatchUp_PollsChecksNeverPolledOrThatMissedARun_AndLeavesTheOthersToTheirSchedule()
    {
        await hub.ResetServicesAsync("""
            timeZone: UTC
            micromasteries:
              - slug: cron
                name: Cron job with GitHub Actions
                layer: A
                started: 2026-11-20
                checks:
                  - type: github.workflow-run
                    repo: octo-org/octo-repo
                    schedule: "0 6 * * *"
              - staple: stripe-payment-link
                started: 2026-11-20
                checks:
                  - type: stripe.payment-link
              - slug: landing
                name: Landing page
                layer: D
                started: 2026-11-20
                checks:
                  - type: http.page
                    url: https://localhost:1/
            """);
        await using (var connection = await hub.Service<HubDatabase>().OpenAsync())
        {
            // GitHub polled just now (daily schedule, nothing missed); Stripe last polled before its hourly run; the page never.
            await connection.ExecuteAsync(
                "INSERT INTO check_status (slug, check_id, state, message, last_attempt_at, last_success_at) VALUES " +
                "('cron', 'github.workflow-run', 'pending', NULL, @now, @now), ('stripe-payment-link', 'stripe.payment-link', 'pending', NULL, @old, @old)",
                new { now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), old = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds() });
        }

        var links = $$"""{"object":"list","data":[{{Stripe.StripeEvents.Fixture("payment_link").ToJsonString()}}],"has_more":false,"url":"/v1/payment_links"}""";
        hub.Stripe.Given(Request.Create().WithPath("/v1/payment_links").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(links));

        hub.SetSetting<PollingOptions>("Polling:CatchUp", "true");
        CheckSyncResult result;
        try
        {
            result = await hub.Service<CheckScheduler>().SyncAsync(hub.Service<Micromastery.Hub.Stack.StackStore>().Current);
        }
        finally
        {
            hub.SetSetting<PollingOptions>("Polling:CatchUp", "false");
        }

        Assert.Equal(["check:stripe-payment-link:stripe.payment-link", "check:landing:http.page"], result.CaughtUp);
        // The jobs catch-up enqueued, run as Hangfire's worker would (the page's fails: nothing listens there).
        var monitor = hub.Service<JobStorage>().GetMonitoringApi();
        var enqueued = monitor.Queues().SelectMany(q => monitor.EnqueuedJobs(q.Name, 0, 100)).Select(j => j.Value.Job).Where(j => j.Type == typeof(CheckJob)).ToList();
        Assert.Equal(result.CaughtUp.Order(StringComparer.Ordinal), enqueued.Select(j => CheckJob.IdFor((string)j.Args[0], (string)j.Args[1])).Order(StringComparer.Ordinal));
        foreach (var job in enqueued)
        {
            try
            {
                await hub.Service<CheckJob>().RunAsync((string)job.Args[0], (string)job.Args[1], CancellationToken.None);
            }
            catch (CheckUnavailableException)
            {
            }
        }

        var stack = await hub.Service<PayoffReporter>().BuildAsync(CancellationToken.None);
        Assert.All(stack.Micromasteries.Where(m => m.Slug != "cron"), m => Assert.True(m.Checks.Single().LastAttemptAt > DateTimeOffset.UtcNow.AddMinutes(-1), $"{m.Slug} polled"));
        Assert.Single(hub.Requests(hub.Stripe));
        Assert.Empty(hub.Requests(hub.GitHub));
        Assert.Equal(CheckStates.Holds, stack.Micromasteries.Single(m => m.Slug == "stripe-payment-link").Checks.Single().State);
    }

    [Fact]
    public async Task LastSuccessOlderThanTwoPeriods_IsStale()
    {
        await using (var connection = await hub.Service<HubDatabase>().OpenAsync())
        {
            var old = DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeMilliseconds();
            var recent = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
            await connection.ExecuteAsync(
                "INSERT INTO check_status (slug, check_id, state, message, last_attempt_at, last_success_at) VALUES " +
                "('cron', 'github.workflow-run', 'pending', NULL, @old, @old), ('stripe-payment-link', 'stripe.payment-link', 'pending', NULL, @recent, @recent)",
                new { old, recent });
        }

        var stack = await hub.Service<PayoffReporter>().BuildAsync(CancellationToken.None);

        Assert.True(stack.Micromasteries.Single(m => m.Slug == "cron").Checks.First().Stale);
        Assert.False(stack.Micromasteries.Single(m => m.Slug == "stripe-payment-link").Checks.Single().Stale);
    }
}

[Collection(StandInsCollection.Name)]
public sealed class CheckSchedulingTests_Sqlite(ServiceStandIns hub) : CheckSchedulingTests(hub);

[Trait(Needs.Key, Needs.Postgres)]
public sealed class CheckSchedulingTests_Postgres(PostgresServiceStandIns hub) : CheckSchedulingTests(hub), IClassFixture<PostgresServiceStandIns>;
