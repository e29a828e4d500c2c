using Hangfire;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.GitHub;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Hangfire runs the check jobs on a hub: a triggered job polls and records, a failing one is retried by
/// <see cref="CheckRetryAttribute"/> (or left to its next scheduled run), and the dashboard lists them. Which jobs exist and
/// when catch-up polls is in <see cref="CheckSchedulingTests"/>, without a host.
/// </summary>
public abstract class CheckJobTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Stack = CheckSchedulingTests.Stack;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

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
}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class CheckJobTests_Sqlite(SqliteServicesHub hub) : CheckJobTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class CheckJobTests_Postgres(PostgresServicesHub hub) : CheckJobTests(hub);
