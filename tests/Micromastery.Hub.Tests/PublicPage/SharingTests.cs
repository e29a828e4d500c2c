using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Tests.Access;
using Micromastery.Hub.Tests.Infrastructure;
using static Micromastery.Hub.Tests.PublicPage.PublicScenario;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>A shared link unfurls: Open Graph and Twitter card tags, canonical URLs from Public:BaseUrl, the feed's links too.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class SharingTests
{
    private const string BaseUrl = "https://ada.example/hub";

    [Fact]
    public async Task WithABaseUrl_PagesCarryCanonicalAndOpenGraphUrls_AndTheFeedLinksThere()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, PublicScenario.Stack);
        var factory = hub.Start(new Dictionary<string, string?> { ["Public:BaseUrl"] = BaseUrl + "/" });
        await ArrangeAsync(factory.CreateClient());
        var stranger = Visitor.StrangerThroughProxy(factory.Server);

        var list = (await stranger.GetAsync("/public", "text/html")).Body;
        var detail = (await stranger.GetAsync($"/public/{PublicSlug}", "text/html")).Body;
        var feed = (await stranger.GetAsync("/public/feed.xml", "application/atom+xml")).Body;

        Assert.Contains($"<link rel=\"canonical\" href=\"{BaseUrl}/public\"", list);
        Assert.Contains($"<meta property=\"og:url\" content=\"{BaseUrl}/public\"", list);
        Assert.Contains("<meta property=\"og:title\" content=\"Ada &lt;Builder&gt; &amp; Co &#x2014; payoffs built in public\"", list);
        Assert.Contains("<meta name=\"twitter:card\" content=\"summary\"", list);
        Assert.Contains($"<meta property=\"og:url\" content=\"{BaseUrl}/public/{PublicSlug}\"", detail);
        Assert.Contains("<meta property=\"og:type\" content=\"article\"", detail);
        Assert.Matches("<meta property=\"og:description\" content=\"[^\"]*payoff verified on [^\"]*a test-mode payment captured, reported by Stripe", detail);
        Assert.Contains("<meta name=\"twitter:description\"", detail);
        Assert.Contains($"href=\"{BaseUrl}/public/feed.xml\"", feed);
        Assert.Contains($"href=\"{BaseUrl}/public/{PublicSlug}\"", feed);
    }

    [Fact]
    public async Task WithoutABaseUrl_ThereIsNoCanonicalOrOgUrl()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, PublicScenario.Stack);
        var factory = hub.Start();

        var list = (await Visitor.StrangerThroughProxy(factory.Server).GetAsync("/public", "text/html")).Body;

        Assert.DoesNotContain("rel=\"canonical\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("og:url", list, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:title\"", list);
    }

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

    [Fact]
    public void Feed_HasARepeatabilityEntry_OnceAPayoffHeldInASecondContext()
    {
        var at = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        var m = new PublicMicromastery("cron", "Cron", "A", "AI + code", PayoffStates.Verified, new DateOnly(2026, 11, 20), at, 5, 2, at.AddDays(2),
            ["a GitHub Actions run that succeeded, reported by GitHub"], at, [], [], null);

        var entries = AtomFeed.Entries(new PublicStack(at, null, [m]), "https://ada.example");
        var again = AtomFeed.Entries(new PublicStack(at.AddDays(9), null, [m]), "https://ada.example");

        Assert.Equal(["Repeated in a second context: Cron", "Payoff verified: Cron"], entries.Select(e => e.Title));
        Assert.Equal(at.AddDays(2), entries[0].Updated);
        Assert.Equal(entries.Select(e => e.Id), again.Select(e => e.Id));
    }
}
