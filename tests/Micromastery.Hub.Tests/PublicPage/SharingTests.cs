using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Tests.Infrastructure;
using static Micromastery.Hub.Tests.PublicPage.PublicScenario;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>
/// A shared link unfurls: Open Graph and Twitter card tags, canonical URLs from Public:BaseUrl, the feed's links too.
/// Rendered as the public endpoints render them, from the hub's services without a host; an invalid Public:BaseUrl
/// stopping the start is in <c>PublicHttpTests</c>.
/// </summary>
public sealed class SharingTests(SqliteStore store) : IClassFixture<SqliteStore>
{
    private const string BaseUrl = "https://ada.example/hub";

    [Fact]
    public async Task WithABaseUrl_PagesCarryCanonicalAndOpenGraphUrls_AndTheFeedLinksThere()
    {
        var hub = await store.CreateAsync(PublicScenario.Stack, new Dictionary<string, string?> { ["Public:BaseUrl"] = BaseUrl + "/" });
        await ArrangeAsync(hub);
        var stranger = new StrangerOutputs(hub);

        var list = await stranger.StackPageAsync();
        var detail = (await stranger.MicromasteryPageAsync(PublicSlug))!;
        var feed = await stranger.FeedAsync();

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
        var hub = await store.CreateAsync(PublicScenario.Stack);

        var list = await new StrangerOutputs(hub).StackPageAsync();

        Assert.DoesNotContain("rel=\"canonical\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("og:url", list, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:title\"", list);
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
