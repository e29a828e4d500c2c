using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
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

/// <summary>
/// What a stranger and the owner are answered over HTTP: badges' headers, ETag and 304, shields.io's endpoint JSON, the
/// feed's content type and links, one 404 for unknown and unpublished, the owner-only calls and note, and the
/// micromastery page's Publish buttons. What the outputs say is built without a host in the other tests of this folder.
/// </summary>
[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed partial class PublicHttpTests(SqliteHub hub) : IAsyncLifetime
{
    public Task InitializeAsync() => hub.ResetAsync(PublicScenario.Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Visitor Stranger => Visitor.StrangerThroughProxy(hub.Factory.Server);

    [Theory]
    [InlineData("/badges/stripe-payment-link.svg", "image/svg+xml")]
    [InlineData("/badges/stripe-payment-link.json", "application/json")]
    [InlineData("/badges/stack.svg", "image/svg+xml")]
    public async Task Badge_IsCacheable_WithAStrongETag_And304WhenUnchanged(string path, string type)
    {
        await ArrangeAsync(hub.Client);

        var first = await Stranger.GetAsync(path, "*/*");
        var etag = first.Headers.ETag.ToString();
        var again = await Stranger.GetAsync(path, "*/*", ("If-None-Match", etag));
        var weak = await Stranger.GetAsync(path, "*/*", ("If-None-Match", $"\"other\", W/{etag}"));
        var stale = await Stranger.GetAsync(path, "*/*", ("If-None-Match", "\"0123\""));

        Assert.Equal(200, first.Status);
        Assert.StartsWith(type, first.Headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Matches("^\"[0-9a-f]{32}\"$", etag);
        Assert.Equal("public, max-age=300", first.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", first.Headers.XContentTypeOptions.ToString());
        Assert.Equal(BadgeEndpoints.SvgPolicy, first.Headers.ContentSecurityPolicy.ToString());
        Assert.DoesNotContain("script-src", first.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal("cross-origin", first.Headers["Cross-Origin-Resource-Policy"].ToString());
        Assert.Equal((304, ""), (again.Status, again.Body));
        Assert.Equal(etag, again.Headers.ETag.ToString());
        Assert.Equal(304, weak.Status);
        Assert.Equal((200, first.Body), (stale.Status, stale.Body));
    }

    [Fact]
    public async Task BadgeETag_ChangesWhenThePayoffChanges()
    {
        var pending = await Stranger.GetAsync("/badges/stripe-payment-link.svg", "*/*");

        await ArrangeAsync(hub.Client);
        var verified = await Stranger.GetAsync("/badges/stripe-payment-link.svg", "*/*", ("If-None-Match", pending.Headers.ETag.ToString()));

        Assert.Contains(BadgeSvg.Pending, pending.Body);
        Assert.Equal(200, verified.Status);
        Assert.Contains(BadgeSvg.Verified, verified.Body);
        Assert.NotEqual(pending.Headers.ETag.ToString(), verified.Headers.ETag.ToString());
    }

    [Fact]
    public async Task BadgeJson_FollowsShieldsEndpointSchema_ReadableFromAnySite()
    {
        await ArrangeAsync(hub.Client);

        var answer = await Stranger.GetAsync("/badges/stripe-payment-link.json");

        using var json = JsonDocument.Parse(answer.Body);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(PublicName, root.GetProperty("label").GetString());
        Assert.Equal("verified", root.GetProperty("message").GetString());
        Assert.Equal("4c1", root.GetProperty("color").GetString());
        Assert.Equal("*", answer.Headers.AccessControlAllowOrigin.ToString());
    }

    [Fact]
    public async Task Feed_IsAtom_AndLinksToTheAddressTheStrangerUsed()
    {
        await ArrangeAsync(hub.Client);

        var feed = await Stranger.GetAsync("/public/feed.xml", "application/atom+xml");

        Assert.Equal(200, feed.Status);
        Assert.StartsWith("application/atom+xml", feed.Headers.ContentType.ToString(), StringComparison.Ordinal);
        // Behind the proxy: the scheme and host it forwarded, not the hub's own.
        Assert.Contains($"href=\"https://{Visitor.Host}/public/{PublicSlug}\"", feed.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnpublishedAndUnknownSlugs_AnswerTheSame404()
    {
        await ArrangeAsync(hub.Client);

        var results = new List<Answer>();
        foreach (var path in new[] { $"/public/{PrivateSlug}", "/public/no-such-thing", $"/badges/{PrivateSlug}.svg", "/badges/no-such-thing.svg", $"/badges/{PrivateSlug}.json", "/badges/no-such-thing.json" })
        {
            results.Add(await Stranger.GetAsync(path, "text/html"));
        }

        Assert.All(results, r => Assert.Equal(404, r.Status));
        Assert.Single(results.Select(r => (r.Body, r.Headers.ContentType.ToString())).Distinct());
    }

    [Fact]
    public async Task EmptyPublicPage_NamesTheStackFileToTheOwnerOnly_NeverStored()
    {
        await File.WriteAllTextAsync(hub.Factory.StackPath, PublicScenario.Stack.Replace("public: true", "public: false", StringComparison.Ordinal));
        Assert.Empty(hub.Service<Micromastery.Hub.Stack.StackStore>().Reload());

        var list = await Stranger.GetAsync("/public", "text/html");
        var owners = await hub.Client.GetAsync("/public");
        var ownersPage = await owners.Content.ReadAsStringAsync();

        Assert.Equal(200, list.Status);
        Assert.DoesNotContain("only you see this note", list.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(hub.Factory.StackPath, list.Body, StringComparison.Ordinal);
        Assert.Contains("only you see this note", ownersPage, StringComparison.Ordinal);
        Assert.Contains(hub.Factory.StackPath, ownersPage, StringComparison.Ordinal);
        Assert.True(owners.Headers.CacheControl is { Private: true, NoStore: true });
    }

    [Fact]
    public async Task PublishingCalls_AreTheOwnersOnly_AndAnswerWhatTheirServiceDid()
    {
        var paymentIntent = await ArrangeAsync(hub.Client);

        var publish = await Stranger.PostJsonAsync($"/api/micromasteries/{PublicSlug}/drafts/1/publish", "{}");
        var unpublish = await Stranger.SendAsync("DELETE", $"/api/micromasteries/{PublicSlug}/drafts/published", "application/json", null, null);
        var mark = await hub.Client.PostAsync($"/api/micromasteries/{PublicSlug}/evidence/public", JsonContent.Create(new { source = "stripe", externalId = paymentIntent }));
        var down = await hub.Client.DeleteAsync($"/api/micromasteries/{PublicSlug}/drafts/published");
        var again = await hub.Client.DeleteAsync($"/api/micromasteries/{PublicSlug}/drafts/published");
        var missing = await hub.Client.PostAsync($"/api/micromasteries/{PublicSlug}/drafts/99/publish", null);

        Assert.True(publish.Denied, $"{publish.Status} {publish.Body}");
        Assert.True(unpublish.Denied, $"{unpublish.Status} {unpublish.Body}");
        Assert.Equal(HttpStatusCode.OK, mark.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, down.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>The micromastery page's Publish and Take-down buttons, posted as a browser would, put a draft on the public page and off it.</summary>
    [Fact]
    public async Task PublishButton_PutsTheLatestDraftOnThePublicPage_AndTakeDownRemovesIt()
    {
        const string page = "/micromasteries/perfect-omelette";
        await hub.ResetAsync($"""
            timeZone: UTC
            micromasteries:
              - staple: perfect-omelette
                started: {DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3):yyyy-MM-dd}
                public: true
                checks:
                  - type: manual
            """);
        await hub.Client.PostAsJsonAsync("/api/micromasteries/perfect-omelette/evidence", new { note = "folded, unbrowned", context = "family dinner" });
        await hub.Client.PostAsync("/api/micromasteries/perfect-omelette/drafts", null);
        var html = await hub.Client.GetStringAsync(page);
        var token = TokenField().Match(html);
        var form = new Dictionary<string, string> { [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) };
        var publishAction = PublishAction().Match(html);

        var published = await hub.Client.PostAsync(publishAction.Groups[1].Value, new FormUrlEncodedContent(form));
        var publicPage = await hub.Client.GetStringAsync("/public/perfect-omelette");
        var takenDown = await hub.Client.PostAsync(page + "/drafts/unpublish", new FormUrlEncodedContent(form));
        var afterwards = await hub.Client.GetStringAsync("/public/perfect-omelette");

        Assert.True(publishAction.Success, "the page has no Publish button for the latest draft");
        Assert.Contains("The case study is published", await published.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("a micromastery case study", publicPage, StringComparison.Ordinal);
        Assert.Contains("no longer on your public page", await takenDown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("a micromastery case study", afterwards, StringComparison.Ordinal);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<form method=\"post\" action=\"(/micromasteries/perfect-omelette/drafts/\\d+/publish)\"")]
    private static partial Regex PublishAction();
}

/// <summary>An invalid Public:BaseUrl stops the hub at start, and says which setting.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class PublicStartTests
{
    [Theory]
    [InlineData("ftp://ada.example")]
    [InlineData("/public")]
    [InlineData("https://ada.example/?x=1")]
    public async Task AnInvalidBaseUrl_StopsTheHubAtStart(string value)
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(new Dictionary<string, string?> { ["Public:BaseUrl"] = value });

        Assert.ThrowsAny<Exception>(() => factory.Server);

        // The message from the start's own validator: a failed start can surface from WebApplicationFactory as a disposed provider.
        await using var services = await HubServices.CreateAsync(settings: new Dictionary<string, string?> { ["Public:BaseUrl"] = value });
        var error = Assert.ThrowsAny<Exception>(() => services.Service<Microsoft.Extensions.Options.IStartupValidator>().Validate());
        Assert.Contains("Public:BaseUrl", error.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>The owner's variant of a public page (the empty page's note naming the stack file) is never kept for the strangers who ask next.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class PublicOwnersVariantTests
{
    [Fact]
    public async Task OwnersEmptyPublicPage_ThroughTheSameProxy_NeverReachesAStranger()
    {
        await using var hubs = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var hub = hubs.Start(AccessHub.Settings);
        var owner = Visitor.StrangerThroughProxy(hub.Server, "192.0.2.70");
        Assert.Equal(302, (await owner.SignInAsync(AccessHub.Username, AccessHub.Password)).Status);

        var ownersPage = await owner.GetAsync("/public", "text/html");
        var strangersPage = await Visitor.StrangerThroughProxy(hub.Server, "198.51.100.7").GetAsync("/public", "text/html");

        Assert.Contains("only you see this note", ownersPage.Body, StringComparison.Ordinal);
        Assert.Equal(200, strangersPage.Status);
        Assert.Contains("Nothing is published here yet.", strangersPage.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("only you see this note", strangersPage.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("stack.yml", strangersPage.Body, StringComparison.Ordinal);
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
