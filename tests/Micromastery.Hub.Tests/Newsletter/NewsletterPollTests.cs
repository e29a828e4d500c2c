using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.Newsletter;

/// <summary>newsletter.published / newsletter.subscribers against api.beehiiv.com and feed stand-ins.</summary>
[Collection(StandInsCollection.Name)]
public sealed class NewsletterPollTests(ServiceStandIns hub) : IAsyncLifetime
{
    private const string Publication = "pub_00000000-0000-0000-0000-000000000000";

    private string Stack => $$"""
        timeZone: UTC
        micromasteries:
          - slug: newsletter
            name: First newsletter issue
            layer: B
            started: 2026-11-20
            checks:
              - type: newsletter.published
                publication: {{Publication}}
              - type: newsletter.subscribers
                publication: {{Publication}}
                min: 2
          - slug: substack
            name: Substack issue
            layer: B
            started: 2026-11-20
            checks:
              - type: newsletter.published
                feed: {{hub.Web.Url}}/feed
          - slug: blog
            name: Atom issue
            layer: D
            started: 2026-11-20
            checks:
              - type: newsletter.published
                feed: {{hub.Web.Url}}/atom.xml
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private void ServeBeehiiv(string path, string body, int status = 200) =>
        hub.Beehiiv.Given(Request.Create().WithPath(path).UsingGet().WithHeader("Authorization", "Bearer beehiiv_test_key"))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    [Fact]
    public async Task IssueFromAnEarlierAttempt_IsPriorEvidence_AndTheNewIssueHolds()
    {
        var posts = Payloads.Json("beehiiv", "posts.json");
        var old = posts["data"]![0]!.DeepClone().AsObject();
        old["id"] = "post_old";
        old["publish_date"] = new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        posts["data"]!.AsArray().Add(old);
        ServeBeehiiv($"/v2/publications/{Publication}/posts", posts.ToJsonString());

        var published = await hub.RunCheckAsync("newsletter", "newsletter.published");

        Assert.Equal(CheckStates.Holds, published!.State);
        var evidence = (await hub.MicromasteryAsync("newsletter")).Evidence;
        Assert.True(evidence.Single(e => e.ExternalId == "post_old").Prior);
        Assert.False(evidence.Single(e => e.ExternalId != "post_old").Prior);
    }

    [Fact]
    public async Task OnlyAnIssueFromAnEarlierAttempt_DoesNotHold()
    {
        var posts = Payloads.Json("beehiiv", "posts.json");
        posts["data"]![0]!["publish_date"] = new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        ServeBeehiiv($"/v2/publications/{Publication}/posts", posts.ToJsonString());

        var published = await hub.RunCheckAsync("newsletter", "newsletter.published");

        Assert.Equal(CheckStates.Pending, published!.State);
        Assert.Contains("prior evidence", published.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmedPostAndEnoughSubscribers_VerifyTheBeehiivPayoff()
    {
        ServeBeehiiv($"/v2/publications/{Publication}/posts", Payloads.Text("beehiiv", "posts.json"));
        ServeBeehiiv($"/v2/publications/{Publication}/subscriptions", Payloads.Text("beehiiv", "subscriptions.json"));

        var published = await hub.RunCheckAsync("newsletter", "newsletter.published");
        var subscribers = await hub.RunCheckAsync("newsletter", "newsletter.subscribers");

        Assert.Equal(CheckStates.Holds, published!.State);
        Assert.Equal(CheckStates.Holds, subscribers!.State);
        var m = await hub.MicromasteryAsync("newsletter");
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.Contains(m.Evidence, e => e.Url == "https://example.beehiiv.com/p/issue-1-why-micromasteries");
        var postsQuery = hub.Requests(hub.Beehiiv).First().RequestMessage.Query!;
        Assert.Equal("confirmed", postsQuery["status"].Single());
        Assert.Equal("desc", postsQuery["direction"].Single());
    }

    [Fact]
    public async Task TooFewSubscribers_IsPending()
    {
        var one = Payloads.Json("beehiiv", "subscriptions.json");
        one["data"]!.AsArray().RemoveAt(1);
        ServeBeehiiv($"/v2/publications/{Publication}/subscriptions", one.ToJsonString());

        var result = await hub.RunCheckAsync("newsletter", "newsletter.subscribers");

        Assert.Equal(CheckStates.Pending, result!.State);
    }

    [Fact]
    public async Task RssFeedWithAnIssue_Holds()
    {
        hub.Web.Given(Request.Create().WithPath("/feed").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/rss+xml; charset=utf-8").WithBody(Payloads.Text("web", "substack-feed.xml")));

        var result = await hub.RunCheckAsync("substack", "newsletter.published");

        Assert.Equal(CheckStates.Holds, result!.State);
        Assert.Equal("https://micromastery.substack.com/p/issue-1-why-micromasteries", Assert.Single((await hub.MicromasteryAsync("substack")).Evidence).Url);
    }

    [Fact]
    public async Task AtomFeed_CountsOnlyIssuesAlreadyPublished()
    {
        hub.Web.Given(Request.Create().WithPath("/atom.xml").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/atom+xml").WithHeader("ETag", "\"feed-v1\"").WithBody(Payloads.Text("web", "atom-feed.xml")));

        var result = await hub.RunCheckAsync("blog", "newsletter.published");

        Assert.Equal(CheckStates.Holds, result!.State);
        Assert.Equal(1, result.Observations);
    }

    [Fact]
    public async Task UnchangedFeed_Answers304AndStillHolds()
    {
        hub.Web.Given(Request.Create().WithPath("/atom.xml").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("ETag", "\"feed-v2\"").WithBody(Payloads.Text("web", "atom-feed.xml")));
        await hub.RunCheckAsync("blog", "newsletter.published");
        hub.Web.Reset();
        hub.Web.Given(Request.Create().WithPath("/atom.xml").UsingGet().WithHeader("If-None-Match", "\"feed-v2\""))
            .RespondWith(Response.Create().WithStatusCode(304));

        var result = await hub.RunCheckAsync("blog", "newsletter.published");

        Assert.Equal(CheckStates.Holds, result!.State);
        Assert.Equal(304, hub.Requests(hub.Web).Single().ResponseMessage.StatusCode);
    }

    [Fact]
    public async Task FeedThatIsNotXml_IsUnknownNotPending()
    {
        hub.Web.Given(Request.Create().WithPath("/feed").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("<html><body>Maintenance</body>"));

        var result = await hub.RunCheckAsync("substack", "newsletter.published");

        Assert.Equal(CheckStates.Unknown, result!.State);
    }

    [Fact]
    public async Task BeehiivServerError_IsUnknown()
    {
        ServeBeehiiv($"/v2/publications/{Publication}/posts", """{"errors":[{"message":"Internal Server Error"}]}""", 500);

        var result = await hub.RunCheckAsync("newsletter", "newsletter.published");

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(2, hub.Requests(hub.Beehiiv).Count());
    }

    [Fact]
    public async Task BeehiivTooManyRequestsWithRetryAfter_IsUnknownWithThatDelay()
    {
        hub.Beehiiv.Given(Request.Create().WithPath($"/v2/publications/{Publication}/posts").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "120").WithHeader("Content-Type", "application/json")
                .WithBody("""{"errors":[{"message":"Too many requests","code":"rate_limit_exceeded"}]}"""));

        var result = await hub.RunCheckAsync("newsletter", "newsletter.published");

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(TimeSpan.FromSeconds(120), result.Failure!.RetryAfter);
        Assert.Single(hub.Requests(hub.Beehiiv));
    }

    [Fact]
    public async Task FeedHostTooManyRequests_IsUnknownNotPending()
    {
        hub.Web.Given(Request.Create().WithPath("/feed").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30"));

        var result = await hub.RunCheckAsync("substack", "newsletter.published");

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(TimeSpan.FromSeconds(30), result.Failure!.RetryAfter);
    }

    [Fact]
    public async Task FeedTimeout_IsUnknown()
    {
        await hub.ResetServicesAsync(Stack, ServiceStandIns.ShortAttempts);
        hub.Web.Given(Request.Create().WithPath("/feed").UsingGet())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(4)).WithStatusCode(200).WithBody(Payloads.Text("web", "substack-feed.xml")));

        var result = await hub.RunCheckAsync("substack", "newsletter.published");

        Assert.Equal(CheckStates.Unknown, result!.State);
    }
}
