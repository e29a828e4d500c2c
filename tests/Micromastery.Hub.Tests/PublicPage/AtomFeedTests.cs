using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;
using Micromastery.Hub.Tests.Access;
using Micromastery.Hub.Tests.Infrastructure;
using static Micromastery.Hub.Tests.PublicPage.PublicScenario;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>
/// The feed parses as Atom 1.0 (System.ServiceModel.Syndication) and keeps the spec's rules: ids, titles, updated, author,
/// self link. Written as <c>/public/feed.xml</c> writes it, from the hub's services without a host; its content type is
/// in <c>PublicHttpTests</c>.
/// </summary>
public sealed class AtomFeedTests(SqliteStore store) : IClassFixture<SqliteStore>, IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private HubServices _hub = null!;

    public async Task InitializeAsync() => _hub = await store.CreateAsync(PublicScenario.Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Feed_IsValidAtom_WithOneEntryPerPayoffAndCaseStudy_AndStableIds()
    {
        await ArrangeAsync(_hub);
        var stranger = new StrangerOutputs(_hub);

        var first = await stranger.FeedAsync();
        var second = await stranger.FeedAsync();

        using var reader = XmlReader.Create(new StringReader(first));
        var formatter = new Atom10FeedFormatter();
        Assert.True(formatter.CanRead(reader));
        formatter.ReadFrom(reader);
        var feed = formatter.Feed;
        var items = feed.Items.ToList();
        Assert.Equal(2, items.Count);
        Assert.Contains(items, i => i.Title.Text == $"Payoff verified: {PublicName}");
        Assert.Contains(items, i => i.Title.Text == $"Case study: {PublicName}");
        Assert.All(items, i => Assert.StartsWith("urn:uuid:", i.Id, StringComparison.Ordinal));
        Assert.All(items, i => Assert.StartsWith($"https://{Visitor.Host}/public/{PublicSlug}", i.Links.Single().Uri.ToString(), StringComparison.Ordinal));
        Assert.Equal(items.Max(i => i.LastUpdatedTime), feed.LastUpdatedTime);
        Assert.Equal(first, second);

        // RFC 4287 4.1.1: a feed has exactly one id, title and updated; an author unless every entry has one; a self link is recommended.
        var root = XDocument.Parse(first).Root!;
        Assert.Equal(Atom + "feed", root.Name);
        foreach (var name in new[] { "id", "title", "updated", "author" })
        {
            Assert.Single(root.Elements(Atom + name));
        }

        Assert.Single(root.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self");
        Assert.All(root.Elements(Atom + "entry"), e =>
        {
            foreach (var name in new[] { "id", "title", "updated", "summary" })
            {
                Assert.Single(e.Elements(Atom + name));
            }
        });
        Assert.Equal(items.Count, items.Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public async Task Feed_WithNothingPublished_IsStillValid()
    {
        var feed = SyndicationFeed.Load(XmlReader.Create(new StringReader(await new StrangerOutputs(_hub).FeedAsync())));
        Assert.Empty(feed.Items);
        Assert.Equal("Ada <Builder> & Co: payoffs built in public", feed.Title.Text);
    }
}
