using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Tests.Access;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using static Micromastery.Hub.Tests.PublicPage.PublicScenario;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>Public outputs served from the cache: ETag and 304 on each, eviction on change, owner pages never cached.</summary>
[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class PublicCacheTests(SqliteHub hub) : IAsyncLifetime
{
    public Task InitializeAsync() => hub.ResetAsync(PublicScenario.Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Visitor Stranger => Visitor.StrangerThroughProxy(hub.Factory.Server);

    public static TheoryData<string> PublicOutputs => new()
    {
        "/public", $"/public/{PublicSlug}", "/public/feed.xml", $"/badges/{PublicSlug}.svg", $"/badges/{PublicSlug}.json", "/badges/stack.svg",
    };

    [Theory]
    [MemberData(nameof(PublicOutputs))]
    public async Task PublicOutput_CarriesAStrongETag_And304WhenTheClientHasIt(string path)
    {
        await ArrangeAsync(hub.Client);

        var first = await Stranger.GetAsync(path, "*/*");
        var etag = first.Headers.ETag.ToString();
        var again = await Stranger.GetAsync(path, "*/*", ("If-None-Match", etag));
        var other = await Stranger.GetAsync(path, "*/*", ("If-None-Match", "\"0123\""));

        Assert.Equal(200, first.Status);
        Assert.Matches("^\"[0-9a-f]{32}\"$", etag);
        Assert.NotEmpty(first.Headers.CacheControl.ToString());
        Assert.Equal((304, ""), (again.Status, again.Body));
        Assert.Equal(etag, again.Headers.ETag.ToString());
        Assert.Equal((200, first.Body, etag), (other.Status, other.Body, other.Headers.ETag.ToString()));
    }

    [Fact]
    public async Task PublicPage_ShowsAPublicationOnTheNextRequest()
    {
        await ArrangeAsync(hub.Client);
        var before = await Stranger.GetAsync($"/public/{PublicSlug}", "text/html");
        var unpublish = await hub.Client.DeleteAsync($"/api/micromasteries/{PublicSlug}/drafts/published");

        var after = await Stranger.GetAsync($"/public/{PublicSlug}", "text/html", ("If-None-Match", before.Headers.ETag.ToString()));

        Assert.True(unpublish.IsSuccessStatusCode, $"unpublish answered {unpublish.StatusCode}");
        Assert.Equal(200, after.Status);
        Assert.NotEqual(before.Headers.ETag.ToString(), after.Headers.ETag.ToString());
    }

    [Fact]
    public async Task SecondRequest_IsServedFromTheCache_UntilTheCounterMoves()
    {
        await ArrangeAsync(hub.Client);
        // Settled first: background work the arrangement queued (drafts, a summary refresh) moves the counter when it commits.
        await hub.QuiesceAsync();
        await Stranger.GetAsync("/badges/stack.svg", "*/*");
        var first = await Stranger.GetAsync("/badges/stack.svg", "*/*");

        // Behind the hub's back: a row the public page reads changes without the counter moving, then with it.
        await SetVerifiedAsync(PublicSlug, verified: false, bump: false);
        var cached = await Stranger.GetAsync("/badges/stack.svg", "*/*");
        await SetVerifiedAsync(PublicSlug, verified: false, bump: true);
        var rebuilt = await Stranger.GetAsync("/badges/stack.svg", "*/*");

        Assert.Equal(first.Body, cached.Body);
        Assert.NotEqual(first.Body, rebuilt.Body);
    }

    [Theory]
    [InlineData("/")]
    [InlineData($"/micromasteries/{PublicSlug}")]
    [InlineData("/api/stack")]
    public async Task OwnerPage_CarriesNoETag_AndNever304s(string path)
    {
        var owner = Visitor.OwnerOnThisMachine(hub.Factory.Server);

        var page = await owner.GetAsync(path, path.StartsWith("/api", StringComparison.Ordinal) ? "application/json" : "text/html", ("If-None-Match", "*"));

        Assert.Equal(200, page.Status);
        Assert.Empty(page.Headers.ETag.ToString());
        Assert.DoesNotContain("public", page.Headers.CacheControl.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnerApi_ShowsAChangeTheCounterNeverHeardOf()
    {
        var before = await hub.Client.MicromasteryAsync(PrivateSlug);

        await SetVerifiedAsync(PrivateSlug, verified: true, bump: false); // no counter: only an uncached read can see it
        var after = await hub.Client.MicromasteryAsync(PrivateSlug);

        Assert.NotEqual(Micromastery.Hub.Payoffs.PayoffStates.Verified, before.Payoff);
        Assert.NotNull(after.VerifiedAt);
    }

    private async Task SetVerifiedAsync(string slug, bool verified, bool bump)
    {
        var database = hub.Factory.Services.GetRequiredService<HubDatabase>();
        await using var connection = await database.OpenAsync();
        // A write transaction as the hub's own writers take it: its commit tells this process's cache to look again.
        await using var write = await database.BeginWriteAsync(connection);
        await Dapper.SqlMapper.ExecuteAsync(connection, verified ? "INSERT INTO payoffs (slug, verified_at) VALUES (@slug, 1)" : "DELETE FROM payoffs WHERE slug = @slug", new { slug }, write.Transaction);
        if (bump)
        {
            await ChangeCounter.BumpAsync(connection, write.Transaction);
        }

        await write.CommitAsync();
    }
}

/// <summary>Two hubs on one PostgreSQL: a change made through one evicts the other's cache.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class PublicCacheAcrossHubsTests
{
    [Fact]
    public async Task ChangeThroughHubA_IsVisibleOnHubBsNextRequest()
    {
        await using var hubs = await DedicatedHub.CreateAsync(StorageProvider.Postgres, PublicScenario.Stack);
        var settings = new Dictionary<string, string?> { ["Public:Cache:CheckChangesEvery"] = "00:00:00" };
        var a = hubs.Start(settings);
        var b = hubs.Start(settings);
        var strangerAtB = Visitor.StrangerThroughProxy(b.Server);
        var pending = await strangerAtB.GetAsync($"/badges/{PublicSlug}.svg", "*/*");
        var cached = await strangerAtB.GetAsync($"/badges/{PublicSlug}.svg", "*/*", ("If-None-Match", pending.Headers.ETag.ToString()));

        var body = StripeEvents.PaymentIntentSucceeded(paymentIntentId: StripeEvents.NewId("pi_"));
        var webhook = await a.CreateClient().PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
        await a.CreateClient().VerifiedAsync(PublicSlug);
        var verified = await strangerAtB.GetAsync($"/badges/{PublicSlug}.svg", "*/*", ("If-None-Match", pending.Headers.ETag.ToString()));

        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        Assert.Contains(BadgeSvg.Pending, pending.Body);
        Assert.Equal(304, cached.Status);
        Assert.Equal(200, verified.Status);
        Assert.Contains(BadgeSvg.Verified, verified.Body);
    }
}

/// <summary>Public outputs are rate-limited per client address: 429 with Retry-After, other addresses and health unaffected.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class PublicRateLimitTests
{
    [Fact]
    public async Task AddressOverItsLimit_Gets429WithRetryAfter_OthersAndHealthDoNot()
    {
        await using var hubs = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, PublicScenario.Stack);
        var hub = hubs.Start(new Dictionary<string, string?> { ["Public:RateLimit:PermitsPerMinute"] = "60", ["Public:RateLimit:Burst"] = "3" });
        var flooder = Visitor.StrangerThroughProxy(hub.Server, "203.0.113.50");
        var other = Visitor.StrangerThroughProxy(hub.Server, "198.51.100.7");

        var answers = new List<Answer>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await flooder.GetAsync("/badges/stack.svg", "*/*"));
        }

        var health = await flooder.GetAsync("/health", "*/*");
        var otherAddress = await other.GetAsync("/public", "text/html");

        Assert.Equal([200, 200, 200], answers.Take(3).Select(a => a.Status));
        var refused = answers[^1];
        Assert.Equal(429, refused.Status);
        Assert.True(int.TryParse(refused.Headers.RetryAfter.ToString(), out var seconds) && seconds >= 1, $"Retry-After: '{refused.Headers.RetryAfter}'");
        Assert.Equal(200, health.Status);
        Assert.Equal(200, otherAddress.Status);
    }
}
