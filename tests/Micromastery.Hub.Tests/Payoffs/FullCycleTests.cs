using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.GitHub;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// One check of every type, each behind its stand-in service: every check's job body polls once and the stack report
/// (<c>GET /api/stack</c>) shows every payoff verified with evidence links. Also the <c>check</c> verb's table. On the
/// hub's services without a host; Hangfire running a triggered check job is in <see cref="CheckJobTests"/>.
/// </summary>
public abstract class FullCycleTests(ServiceStandIns hub) : IAsyncLifetime
{
    private const string Publication = "pub_00000000-0000-0000-0000-000000000000";
    private TlsSite _site = null!;

    public async Task InitializeAsync()
    {
        _site = await TlsSite.StartAsync(hub.Certificates.Valid, "<h1>Ship micromasteries</h1>");
        await hub.ResetServicesAsync($$"""
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
                    event: schedule
                    within: 7d
              - staple: stripe-payment-link
                started: 2026-11-20
                checks:
                  - type: stripe.test-payment
                  - type: stripe.payment-link
              - slug: newsletter
                name: First newsletter issue
                layer: B
                started: 2026-11-20
                checks:
                  - type: newsletter.published
                    publication: {{Publication}}
                  - type: newsletter.subscribers
                    publication: {{Publication}}
                    min: 1
                  - id: rss
                    type: newsletter.published
                    feed: {{hub.Web.Url}}/feed
              - slug: meetings
                name: Tiered meeting links
                layer: E
                started: 2026-11-20
                checks:
                  - type: calcom.event-types
                    tiers: 15:free,30:paid
                  - type: calcom.booking
              - slug: landing
                name: Landing page
                layer: D
                started: 2026-11-20
                checks:
                  - type: http.page
                    url: {{_site.Url}}/
                    text: Ship micromasteries
                  - type: manual
            """);
        StubEverything();
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private void StubEverything()
    {
        GitHubStubs.SuccessfulRuns(hub.GitHub, "octo-org", "octo-repo", "test.yml", triggeringEvent: "schedule");
        var intent = StripeEvents.Fixture("payment_intent");
        intent["status"] = "succeeded";
        var list = (System.Text.Json.Nodes.JsonObject item, string url) => $$"""{"object":"list","data":[{{item.ToJsonString()}}],"has_more":false,"url":"{{url}}"}""";
        Json(hub.Stripe, "/v1/payment_intents", list(intent, "/v1/payment_intents"));
        Json(hub.Stripe, "/v1/payment_links", list(StripeEvents.Fixture("payment_link"), "/v1/payment_links"));
        Json(hub.Beehiiv, $"/v2/publications/{Publication}/posts", Payloads.Text("beehiiv", "posts.json"));
        Json(hub.Beehiiv, $"/v2/publications/{Publication}/subscriptions", Payloads.Text("beehiiv", "subscriptions.json"));
        Json(hub.Web, "/feed", Payloads.Text("web", "substack-feed.xml"));
        Json(hub.CalCom, "/v2/event-types", Payloads.Text("calcom", "event-types.json"));
        Json(hub.CalCom, "/v2/bookings", Payloads.Text("calcom", "bookings.json"));
    }

    private static void Json(WireMock.Server.WireMockServer server, string path, string body) =>
        server.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));

    [Fact]
    public async Task RecurringJobsOfEveryCheckType_VerifyEveryPayoffWithEvidenceLinks()
    {
        var reporter = hub.Service<PayoffReporter>();
        var job = hub.Service<CheckJob>();
        var stack = await reporter.BuildAsync(CancellationToken.None);
        foreach (var m in stack.Micromasteries)
        {
            foreach (var check in m.Checks.Where(c => c.Type != "manual"))
            {
                await job.RunAsync(m.Slug, check.Id, CancellationToken.None);
            }
        }

        await hub.Service<ManualEvidenceRecorder>().RecordAsync("landing", new ManualEvidence(null, _site.Url + "/", "Designed in Figma"), CancellationToken.None);
        var verified = await reporter.BuildAsync(CancellationToken.None);

        Assert.All(verified.Micromasteries, m => Assert.Equal(PayoffStates.Verified, m.Payoff));

        Assert.All(verified.Micromasteries, m => Assert.All(m.Checks, c => Assert.Equal(CheckStates.Holds, c.State)));
        Assert.All(verified.Micromasteries.SelectMany(m => m.Evidence), e => Assert.StartsWith("http", e.Url));
        Assert.Equal(10, verified.Micromasteries.Sum(m => m.Checks.Count));

        // What one full cycle costs per service (docs/checks.md, "calls per poll").
        Assert.Single(hub.Requests(hub.GitHub));
        Assert.Equal(2, hub.Requests(hub.Stripe).Count);
        Assert.Equal(2, hub.Requests(hub.Beehiiv).Count);
        Assert.Equal(2, hub.Requests(hub.CalCom).Count);
        Assert.Single(hub.Requests(hub.Web));
    }

    [Fact]
    public async Task CheckVerb_RunsEveryCheckNowAndPrintsATable()
    {
        using var output = new StringWriter();

        var exitCode = await CheckVerb.RunAsync(hub.Hub.Services, output, CancellationToken.None);

        var text = output.ToString();
        Assert.Equal(0, exitCode);
        Assert.Contains("micromastery", text);
        Assert.Contains("github.workflow-run", text);
        Assert.Equal(9, text.Split('\n').Count(l => l.Contains("  holds", StringComparison.Ordinal)));
        Assert.Contains("not polled", text);
    }
}

[Collection(StandInsCollection.Name)]
public sealed class FullCycleTests_Sqlite(ServiceStandIns hub) : FullCycleTests(hub);

[Trait(Needs.Key, Needs.Postgres)]
public sealed class FullCycleTests_Postgres(PostgresServiceStandIns hub) : FullCycleTests(hub), IClassFixture<PostgresServiceStandIns>;
