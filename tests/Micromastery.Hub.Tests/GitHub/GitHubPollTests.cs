using Micromastery.Hub.GitHub;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>github.workflow-run against an api.github.com stand-in: verdicts, ETags, rate limits and faults.</summary>
[Collection(StandInsCollection.Name)]
public sealed class GitHubPollTests(ServiceStandIns hub) : IAsyncLifetime
{
    private const string Slug = "cron";
    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - slug: cron
            name: Cron job with GitHub Actions
            layer: A
            started: 2026-11-20
            checks:
              - type: github.workflow-run
                repo: octo-org/octo-repo
                workflow: test.yml
                within: 7d
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<CheckRunResult?> PollAsync() => hub.RunCheckAsync(Slug, "github.workflow-run");

    private int Requests() => hub.Requests(hub.GitHub).Count();

    [Fact]
    public async Task SuccessfulRun_HoldsWithTheRunAsEvidence()
    {
        GitHubStubs.SuccessfulRuns(hub.GitHub, "octo-org", "octo-repo", "test.yml");

        var result = await PollAsync();

        Assert.Equal(CheckStates.Holds, result!.State);
        var m = await hub.MicromasteryAsync(Slug);
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.Equal(GitHubStubs.RunUrl, Assert.Single(m.Evidence).Url);
        var request = hub.Requests(hub.GitHub).Single().RequestMessage;
        Assert.Equal("success", request.Query!["status"].Single());
        Assert.Equal(">=2026-11-20T00:00:00Z", request.Query!["created"].Single()); // the practice window's start: no paging through old runs
        Assert.Equal($"token {ServicesHub.GitHubToken}", request.Headers!["Authorization"].Single(), ignoreCase: true);
    }

    [Fact]
    public async Task RunOlderThanTheWindow_IsPending()
    {
        hub.GitHub.Given(Request.Create().WithPath(GitHubStubs.RunsPath("octo-org", "octo-repo", "test.yml")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(GitHubStubs.Runs("octo-org", "octo-repo", updatedAt: DateTimeOffset.UtcNow.AddDays(-8))));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Pending, result!.State);
        Assert.Equal(PayoffStates.Pending, (await hub.MicromasteryAsync(Slug)).Payoff);
    }

    [Fact]
    public async Task SecondPoll_IsConditionalAndA304StillShowsTheRun()
    {
        GitHubStubs.SuccessfulRuns(hub.GitHub, "octo-org", "octo-repo", "test.yml");
        await PollAsync();
        hub.GitHub.Reset();
        hub.GitHub.Given(Request.Create().WithPath(GitHubStubs.RunsPath("octo-org", "octo-repo", "test.yml")).UsingGet().WithHeader("If-None-Match", GitHubStubs.ETag))
            .RespondWith(Response.Create().WithStatusCode(304).WithHeader("ETag", GitHubStubs.ETag)
                .WithHeader("x-ratelimit-remaining", "4999").WithHeader("x-ratelimit-reset", DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var second = await PollAsync();

        Assert.Equal(CheckStates.Holds, second!.State);
        Assert.Equal(1, second.Observations);
        Assert.Equal(304, hub.Requests(hub.GitHub).Single().ResponseMessage.StatusCode);
    }

    [Fact]
    public async Task SpentRateLimit_StopsCallingUntilTheReset()
    {
        GitHubStubs.SuccessfulRuns(hub.GitHub, "octo-org", "octo-repo", "test.yml", remaining: 0);
        await PollAsync();
        var before = Requests();

        var result = await PollAsync();

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(before, Requests());
        Assert.True(result.Failure!.RetryAfter > TimeSpan.FromMinutes(25));
        hub.Service<GitHubRateLimit>().Record(new HttpResponseMessage { Headers = { { "x-ratelimit-remaining", "5000" }, { "x-ratelimit-reset", "0" } } });
    }

    [Fact]
    public async Task RateLimitedAnswer_IsUnknownWithTheResetAsRetryDelay()
    {
        var reset = DateTimeOffset.UtcNow.AddMinutes(10);
        hub.GitHub.Given(Request.Create().WithPath(GitHubStubs.RunsPath("octo-org", "octo-repo", "test.yml")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json")
                .WithHeader("x-ratelimit-limit", "5000").WithHeader("x-ratelimit-remaining", "0")
                .WithHeader("x-ratelimit-reset", reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithBody("""{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}"""));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.True(result.Failure!.RetryAfter > TimeSpan.FromMinutes(9));
        Assert.Equal(PayoffStates.Unknown, (await hub.MicromasteryAsync(Slug)).Payoff);
        hub.Service<GitHubRateLimit>().Record(new HttpResponseMessage { Headers = { { "x-ratelimit-remaining", "5000" }, { "x-ratelimit-reset", "0" } } });
    }

    [Fact]
    public async Task SecondaryRateLimit429WithRetryAfter_IsUnknownAndNotRetriedInTheCall()
    {
        hub.GitHub.Given(Request.Create().WithPath(GitHubStubs.RunsPath("octo-org", "octo-repo", "test.yml")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "120").WithHeader("Content-Type", "application/json")
                .WithBody("""{"message":"You have exceeded a secondary rate limit."}"""));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(1, Requests());
        Assert.Equal(TimeSpan.FromSeconds(120), result.Failure!.RetryAfter);
    }

    [Fact]
    public async Task ServerError_IsRetriedOnceInTheCallThenUnknown()
    {
        hub.GitHub.Given(Request.Create().WithPath(GitHubStubs.RunsPath("octo-org", "octo-repo", "test.yml")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(502).WithBody("Bad Gateway"));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(2, Requests());
        Assert.Equal(PayoffStates.Unknown, (await hub.MicromasteryAsync(Slug)).Payoff);
    }

    [Fact]
    public async Task Timeout_IsUnknown()
    {
        await hub.ResetServicesAsync(Stack, ServiceStandIns.ShortAttempts);
        hub.GitHub.Given(Request.Create().WithPath(GitHubStubs.RunsPath("octo-org", "octo-repo", "test.yml")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(4)).WithBody(GitHubStubs.Runs("octo-org", "octo-repo")));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Contains("in time", result.Message);
    }

    [Fact]
    public async Task ErrorAfterVerification_NeverTurnsTheVerdictBack()
    {
        GitHubStubs.SuccessfulRuns(hub.GitHub, "octo-org", "octo-repo", "test.yml");
        await PollAsync();
        hub.GitHub.Reset();
        hub.GitHub.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(500));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Unknown, result!.State);
        var m = await hub.MicromasteryAsync(Slug);
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.Equal(CheckStates.Holds, m.Checks.Single().State);
    }

    [Fact]
    public async Task MissingToken_WaitsForAWebhook_NamingTheKeyPollingNeeds()
    {
        hub.SetSetting<GitHubOptions>("GitHub:Token", null);
        try
        {
            var result = await PollAsync();

            // A workflow_run webhook can still prove it: waiting, not "not configured", and the payoff stays pending.
            Assert.Equal(CheckStates.Waiting, result!.State);
            Assert.Contains("GitHub:Token", result.Message);
            Assert.Empty(hub.Requests(hub.GitHub));
            var m = await hub.MicromasteryAsync(Slug);
            Assert.Equal(CheckStates.Waiting, m.Checks.Single().State);
            Assert.Equal(PayoffStates.Pending, m.Payoff);
        }
        finally
        {
            hub.SetSetting<GitHubOptions>("GitHub:Token", ServicesHub.GitHubToken);
        }
    }

    [Fact]
    public async Task RejectedToken_IsNotConfiguredAndTheTokenAppearsNowhere()
    {
        hub.GitHub.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
            .WithBody("""{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"""));

        var result = await PollAsync();

        Assert.Equal(CheckStates.NotConfigured, result!.State);
        Assert.DoesNotContain(ServicesHub.GitHubToken, result.Message);
        Assert.DoesNotContain(ServicesHub.GitHubToken, await hub.StackJsonAsync());
    }
}
