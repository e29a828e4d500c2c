using Dapper;
using Hangfire;
using Hangfire.Storage;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.GitHub;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>Recurring check jobs follow the stack file; a job records verdicts, retries faults, and staleness shows.</summary>
public abstract class CheckSchedulingTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Stack = """
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

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

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
    public async Task Dashboard_ListsTheCheckJobsByMicromasteryAndCheck()
    {
        var context = await hub.Factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/hangfire/recurring";
            c.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
            c.Connection.LocalIpAddress = System.Net.IPAddress.Loopback;
        });

        Assert.Equal(200, context.Response.StatusCode);
        var page = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains("Check cron / github.workflow-run", page);
        Assert.Contains("Check stripe-payment-link / stripe.payment-link", page);
        Assert.Contains("Sweep the webhook inbox", page);
    }

    [Fact]
    public async Task StackChange_AddsChangesAndRemovesJobs()
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
                  - type: http.page
                    url: https://example.com/
            """);

        var jobs = CheckJobs();

        Assert.Equal(["check:cron:github.workflow-run", "check:cron:http.page"], jobs.Select(j => j.Id));
        Assert.Equal("0 6 * * *", jobs[0].Cron);
        Assert.Equal("UTC", jobs[0].TimeZoneId);
    }

    [Fact]
    public async Task TriggeredJob_PollsRecordsEvidenceAndWritesTheStatus()
    {
        GitHubStubs.SuccessfulRuns(hub.GitHub, "octo-org", "octo-repo", workflow: null);

        hub.Service<IRecurringJobManager>().Trigger(CheckJob.IdFor("cron", "github.workflow-run"));

        var check = await Eventually.ReturnsAsync(async () => (await hub.Client.MicromasteryAsync("cron")).Checks.First(), c => c.State == CheckStates.Holds && c.LastSuccessAt is not null, "the job to record the run");
        Assert.NotNull(check.LastSuccessAt);
        Assert.False(check.Stale);
    }

    [Fact]
    public async Task FailingJob_LeavesTheCheckUnknownAndIsScheduledForRetry()
    {
        // A yearly schedule: with the default hourly one, from :50 to :00 the next run comes before the
        // 10-minute Retry-After, and CheckRetry rightly leaves the retry to it (the test failed by the clock).
        await hub.ResetServicesAsync(Stack.Replace("- type: stripe.payment-link", "- type: stripe.payment-link\n        schedule: \"0 0 1 1 *\"", StringComparison.Ordinal));
        hub.Stripe.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "600"));

        hub.Service<IRecurringJobManager>().Trigger(CheckJob.IdFor("stripe-payment-link", "stripe.payment-link"));

        var monitor = hub.Service<JobStorage>().GetMonitoringApi();
        var scheduled = await Eventually.ReturnsAsync(() => Task.FromResult(monitor.ScheduledJobs(0, 10)), s => s.Count > 0, "a scheduled retry");
        var history = monitor.JobDetails(scheduled.Single().Key).History;
        Assert.Contains(history, h => h.Reason?.Contains("Retry attempt 1 of 5", StringComparison.Ordinal) == true);
        var check = (await hub.Client.MicromasteryAsync("stripe-payment-link")).Checks.Single();
        Assert.Equal(CheckStates.Unknown, check.State);
        Assert.True(scheduled.Single().Value.EnqueueAt > DateTime.UtcNow.AddMinutes(9), "the retry waits for Retry-After (10 minutes), not the 1-minute backoff");
    }

    [Fact]
    public async Task FailingJob_WhoseRetryWouldComeAfterItsNextScheduledRun_IsNotRetried()
    {
        hub.GitHub.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "600"));

        hub.Service<IRecurringJobManager>().Trigger(CheckJob.IdFor("cron", "github.workflow-run"));

        var monitor = hub.Service<JobStorage>().GetMonitoringApi();
        var failed = await Eventually.ReturnsAsync(
            () => Task.FromResult(monitor.FailedJobs(0, 100).Where(j => j.Value.Job?.Args[0] is "cron").ToList()), f => f.Count > 0, "the failed attempt");
        Assert.Equal(0, monitor.ScheduledCount()); // every 5 minutes polls before a 10-minute Retry-After would
        Assert.Contains("next scheduled run", failed.Single().Value.Reason, StringComparison.Ordinal);
        Assert.Equal(CheckStates.Unknown, (await hub.Client.MicromasteryAsync("cron")).Checks.First().State);
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
        var stack = await Eventually.ReturnsAsync(hub.Client.StackAsync,
            s => s.Micromasteries.Where(m => m.Slug != "cron").All(m => m.Checks.Single().LastAttemptAt > DateTimeOffset.UtcNow.AddMinutes(-1)),
            "the caught-up checks to be polled");
        await hub.QuiesceAsync();
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

        var stack = await hub.Client.StackAsync();

        Assert.True(stack.Micromasteries.Single(m => m.Slug == "cron").Checks.First().Stale);
        Assert.False(stack.Micromasteries.Single(m => m.Slug == "stripe-payment-link").Checks.Single().Stale);
    }
}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class CheckSchedulingTests_Sqlite(SqliteServicesHub hub) : CheckSchedulingTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class CheckSchedulingTests_Postgres(PostgresServicesHub hub) : CheckSchedulingTests(hub);
