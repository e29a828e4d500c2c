using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Common;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.GitHub;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Re-confirmation at the source, against the service stand-ins: each polled type is asked again about
/// the object it proved (confirmed, gone, changed); an upstream error is unknown and retried, never gone. On the hub's
/// services without a host (what <c>POST …/reconfirm</c> and the job call); Hangfire's retry and the route are in
/// <see cref="ReconfirmationJobTests"/>.
/// </summary>
public abstract class ReconfirmationTests(ServiceStandIns hub) : IAsyncLifetime
{
    private const string Publication = "pub_00000000-0000-0000-0000-000000000000";
    private const string Post = "post_00000000-0000-0000-0000-000000000000";
    private const string Booking = "bFJeNb2uX8ANpT3JL5EfXw";

    private string Stack => $$"""
        timeZone: UTC
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
            checks:
              - type: stripe.test-payment
          - slug: links
            name: Payment links
            layer: C
            started: 2026-11-20
            checks:
              - type: stripe.payment-link
          - slug: ci
            name: CI
            layer: A
            started: 2026-11-20
            checks:
              - type: github.workflow-run
                repo: octo-org/octo-repo
          - slug: meetings
            name: Meetings
            layer: E
            started: 2026-11-20
            checks:
              - type: calcom.booking
          - slug: letter
            name: Newsletter
            layer: B
            started: 2026-11-20
            reconfirm: "30 7 * * *"
            checks:
              - type: newsletter.published
                publication: {{Publication}}
          - slug: feed-letter
            name: Feed newsletter
            layer: B
            started: 2026-11-20
            checks:
              - type: newsletter.published
                feed: {{hub.Web.Url}}/feed
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private static void Json(WireMockServer server, string path, string body, int status = 200, params (string Name, string Value)[] headers)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        foreach (var (name, value) in headers)
        {
            response = response.WithHeader(name, value);
        }

        server.Given(Request.Create().WithPath(path).UsingGet()).AtPriority(1).RespondWith(response);
    }

    private static string List(string path, params JsonObject[] items) =>
        new JsonObject { ["object"] = "list", ["data"] = new JsonArray(items), ["has_more"] = false, ["url"] = path }.ToJsonString();

    private static JsonObject Intent(string id, long refunded = 0)
    {
        var pi = StripeEvents.Fixture("payment_intent");
        pi["id"] = id;
        pi["status"] = "succeeded";
        pi["amount"] = 100;
        pi["amount_received"] = 100;
        pi["livemode"] = false;
        var charge = StripeEvents.Fixture("charge");
        charge["amount"] = 100;
        charge["amount_refunded"] = refunded;
        charge["refunded"] = refunded >= 100;
        pi["latest_charge"] = charge;
        return pi;
    }

    private async Task<string> PaidAsync()
    {
        var id = StripeEvents.NewId("pi_");
        Json(hub.Stripe, "/v1/payment_intents", List("/v1/payment_intents", Intent(id)));
        Assert.Equal(CheckStates.Holds, (await hub.RunCheckAsync("stripe-payment-link", "stripe.test-payment"))!.State);
        hub.Stripe.Reset();
        return id;
    }

    private async Task<EvidenceItem> ReconfirmAsync(string slug)
    {
        Assert.NotNull(await hub.Service<Reconfirmer>().RunAsync(slug, CancellationToken.None));
        return Assert.Single((await hub.MicromasteryAsync(slug)).Evidence);
    }

    [Fact]
    public async Task StripePaymentStillSucceeded_IsConfirmedWithTheTime()
    {
        var id = await PaidAsync();
        Json(hub.Stripe, $"/v1/payment_intents/{id}", Intent(id).ToJsonString());

        var evidence = await ReconfirmAsync("stripe-payment-link");

        Assert.Equal(RecheckStates.Confirmed, evidence.Recheck);
        Assert.NotNull(evidence.LastConfirmedAt);
        Assert.Equal("latest_charge", hub.Requests(hub.Stripe).Single().RequestMessage.Query!["expand[0]"].Single());
    }

    [Fact]
    public async Task StripePaymentDeleted_IsGone_AndTheVerifiedPayoffIsDisputed()
    {
        var id = await PaidAsync();
        var verifiedAt = (await hub.VerifiedAsync("stripe-payment-link")).VerifiedAt;
        Json(hub.Stripe, $"/v1/payment_intents/{id}", """{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such payment_intent"}}""", 404);

        var evidence = await ReconfirmAsync("stripe-payment-link");

        Assert.Equal(RecheckStates.Gone, evidence.Recheck);
        var m = await hub.MicromasteryAsync("stripe-payment-link");
        Assert.True(m.Disputed);
        Assert.Equal(PayoffStates.Disputed, m.Payoff);
        Assert.Equal(verifiedAt, m.VerifiedAt);
    }

    [Fact]
    public async Task StripePaymentPartlyRefunded_IsChanged()
    {
        var id = await PaidAsync();
        Json(hub.Stripe, $"/v1/payment_intents/{id}", Intent(id, refunded: 40).ToJsonString());

        var evidence = await ReconfirmAsync("stripe-payment-link");

        Assert.Equal(RecheckStates.Changed, evidence.Recheck);
        Assert.Contains("partially refunded", evidence.RecheckDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamError_IsUnknown_KeepsTheLastConfirmation_AndTheJobFailsToBeRetried()
    {
        var id = await PaidAsync();
        Json(hub.Stripe, $"/v1/payment_intents/{id}", Intent(id).ToJsonString());
        var confirmed = (await ReconfirmAsync("stripe-payment-link")).LastConfirmedAt;
        hub.Stripe.Reset();
        Json(hub.Stripe, $"/v1/payment_intents/{id}", """{"error":{"type":"api_error"}}""", 500);

        var failure = await Assert.ThrowsAsync<CheckUnavailableException>(() => hub.Service<ReconfirmJob>().RunAsync("stripe-payment-link", CancellationToken.None));

        var evidence = Assert.Single((await hub.MicromasteryAsync("stripe-payment-link")).Evidence);
        Assert.Equal(RecheckStates.Unknown, evidence.Recheck);
        Assert.Equal(confirmed, evidence.LastConfirmedAt);
        Assert.Contains("500", failure.Message, StringComparison.Ordinal);
        Assert.False((await hub.MicromasteryAsync("stripe-payment-link")).Disputed);
    }

    [Fact]
    public async Task RateLimited_IsUnknown_AndTheRetryHonoursRetryAfter()
    {
        var id = await PaidAsync();
        Json(hub.Stripe, $"/v1/payment_intents/{id}", """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests."}}""", 429, ("Retry-After", "120"));

        var failure = await Assert.ThrowsAsync<CheckUnavailableException>(() => hub.Service<ReconfirmJob>().RunAsync("stripe-payment-link", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(120), failure.RetryAfter);
        Assert.Equal(RecheckStates.Unknown, Assert.Single((await hub.MicromasteryAsync("stripe-payment-link")).Evidence).Recheck);
    }

    [Fact]
    public void RetryGuard_KnowsTheRecurringJobOfAReconfirmationAsOfACheck()
    {
        Assert.Equal("reconfirm:letter", CheckRetryAttribute.RecurringJobOf(Job.FromExpression<ReconfirmJob>(j => j.RunAsync("letter", CancellationToken.None))));
        Assert.Equal("check:ci:github.workflow-run", CheckRetryAttribute.RecurringJobOf(Job.FromExpression<CheckJob>(j => j.RunAsync("ci", "github.workflow-run", CancellationToken.None))));
    }


    [Theory]
    [InlineData(200, "success", RecheckStates.Confirmed)]
    [InlineData(200, "failure", RecheckStates.Changed)]
    [InlineData(404, null, RecheckStates.Gone)]
    public async Task GitHubRun_IsAskedByItsId(int status, string? conclusion, string expected)
    {
        GitHubStubs.SuccessfulRuns(hub.GitHub, "octo-org", "octo-repo", null);
        await hub.RunCheckAsync("ci", "github.workflow-run");
        hub.GitHub.Reset();
        var run = JsonNode.Parse(GitHubStubs.Runs("octo-org", "octo-repo", conclusion ?? "success"))!["workflow_runs"]![0]!.ToJsonString();
        Json(hub.GitHub, $"/repos/octo-org/octo-repo/actions/runs/{GitHubStubs.RunId}", status == 200 ? run : """{"message":"Not Found"}""", status);

        var evidence = await ReconfirmAsync("ci");

        Assert.Equal(expected, evidence.Recheck);
    }

    [Theory]
    [InlineData("accepted", RecheckStates.Confirmed)]
    [InlineData("cancelled", RecheckStates.Gone)]
    public async Task CalComBooking_IsAskedByItsUid(string status, string expected)
    {
        Json(hub.CalCom, "/v2/bookings", Payloads.Text("calcom", "bookings.json"));
        await hub.RunCheckAsync("meetings", "calcom.booking");
        hub.CalCom.Reset();
        Json(hub.CalCom, $"/v2/bookings/{Booking}", new JsonObject { ["status"] = "success", ["data"] = new JsonObject { ["uid"] = Booking, ["status"] = status } }.ToJsonString());

        var evidence = await ReconfirmAsync("meetings");

        Assert.Equal(expected, evidence.Recheck);
        Assert.Equal("2024-08-13", hub.Requests(hub.CalCom).Single().RequestMessage.Headers!["cal-api-version"].Single());
    }

    [Theory]
    [InlineData(200, "confirmed", RecheckStates.Confirmed)]
    [InlineData(200, "draft", RecheckStates.Gone)]
    [InlineData(404, null, RecheckStates.Gone)]
    public async Task BeehiivPost_IsAskedByItsId(int status, string? postStatus, string expected)
    {
        Json(hub.Beehiiv, $"/v2/publications/{Publication}/posts", Payloads.Text("beehiiv", "posts.json"));
        await hub.RunCheckAsync("letter", "newsletter.published");
        hub.Beehiiv.Reset();
        Json(hub.Beehiiv, $"/v2/publications/{Publication}/posts/{Post}", new JsonObject { ["data"] = new JsonObject { ["id"] = Post, ["status"] = postStatus } }.ToJsonString(), status);

        var evidence = await ReconfirmAsync("letter");

        Assert.Equal(expected, evidence.Recheck);
    }

    [Fact]
    public async Task FeedThatRotatedTheItemOut_IsNotRecheckable_NeverGone()
    {
        Json(hub.Web, "/feed", Payloads.Text("web", "substack-feed.xml"));
        await hub.RunCheckAsync("feed-letter", "newsletter.published");
        hub.Web.Reset();
        var rotated = Payloads.Text("web", "substack-feed.xml").Replace("174000001", "174000099", StringComparison.Ordinal);
        hub.Web.Given(Request.Create().WithPath("/feed").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/rss+xml").WithBody(rotated));

        var evidence = await ReconfirmAsync("feed-letter");

        Assert.Equal(RecheckStates.NotRecheckable, evidence.Recheck);
        var m = await hub.MicromasteryAsync("feed-letter");
        Assert.False(m.Disputed);
        Assert.Equal(PayoffStates.Verified, m.Payoff);
    }

    [Fact]
    public async Task PaymentLinkNoLongerActive_IsGone_ByPollingAgain()
    {
        var link = StripeEvents.Fixture("payment_link");
        Json(hub.Stripe, "/v1/payment_links", List("/v1/payment_links", link));
        await hub.RunCheckAsync("links", "stripe.payment-link");
        hub.Stripe.Reset();
        Json(hub.Stripe, "/v1/payment_links", List("/v1/payment_links"));

        var evidence = await ReconfirmAsync("links");

        Assert.Equal(RecheckStates.Gone, evidence.Recheck);
    }

    [Fact]
    public void EachMicromasteryWithAPollingCheck_HasARecurringReconfirmation_WeeklyUnlessItsEntrySaysOtherwise()
    {
        hub.Service<ReconfirmScheduler>().Sync(hub.Service<Hub.Stack.StackStore>().Current);

        using var connection = hub.Service<Hangfire.JobStorage>().GetConnection();
        var jobs = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection)
            .Where(j => j.Id.StartsWith(ReconfirmJob.IdPrefix, StringComparison.Ordinal)).ToDictionary(j => j.Id, j => j.Cron);

        Assert.Equal("0 6 * * 1", jobs["reconfirm:ci"]);
        Assert.Equal("30 7 * * *", jobs["reconfirm:letter"]);
        Assert.Equal(6, jobs.Count);
    }

    [Fact]
    public async Task ARunAsksAtMostMaxPerRun_TheLongestUnaskedFirst()
    {
        var (first, second) = (StripeEvents.NewId("pi_"), StripeEvents.NewId("pi_"));
        Json(hub.Stripe, "/v1/payment_intents", List("/v1/payment_intents", Intent(first), Intent(second)));
        await hub.RunCheckAsync("stripe-payment-link", "stripe.test-payment");
        hub.Stripe.Reset();
        Json(hub.Stripe, $"/v1/payment_intents/{first}", Intent(first).ToJsonString());
        Json(hub.Stripe, $"/v1/payment_intents/{second}", Intent(second).ToJsonString());
        hub.SetSetting<ReconfirmOptions>("Reconfirmation:MaxPerRun", "1");
        try
        {
            await hub.Service<Reconfirmer>().RunAsync("stripe-payment-link", CancellationToken.None);
            var afterOne = (await hub.MicromasteryAsync("stripe-payment-link")).Evidence;
            await hub.Service<Reconfirmer>().RunAsync("stripe-payment-link", CancellationToken.None);
            var afterTwo = (await hub.MicromasteryAsync("stripe-payment-link")).Evidence;

            Assert.Single(afterOne, e => e.Recheck is not null);
            Assert.All(afterTwo, e => Assert.Equal(RecheckStates.Confirmed, e.Recheck));
            Assert.Equal(2, hub.Requests(hub.Stripe).Count);
        }
        finally
        {
            hub.SetSetting<ReconfirmOptions>("Reconfirmation:MaxPerRun", new ReconfirmOptions().MaxPerRun.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

}

[Collection(StandInsCollection.Name)]
public sealed class ReconfirmationTests_Sqlite(ServiceStandIns hub) : ReconfirmationTests(hub);

[Trait(Needs.Key, Needs.Postgres)]
public sealed class ReconfirmationTests_Postgres(PostgresServiceStandIns hub) : ReconfirmationTests(hub), IClassFixture<PostgresServiceStandIns>;
