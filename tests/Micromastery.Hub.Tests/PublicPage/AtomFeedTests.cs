using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;
using Micromastery.Hub.Tests.Access;
using Micromastery.Hub.Tests.Infrastructure;
using static Micromastery.Hub.Tests.PublicPage.PublicScenario;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>The feed parses as Atom 1.0 (System.ServiceModel.Syndication) and keeps the spec's rules: ids, titles, updated, author, self link.</summary>
[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class AtomFeedTests(SqliteHub hub) : IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public Task InitializeAsync() => hub.ResetAsync(PublicScenario.Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Feed_IsValidAtom_WithOneEntryPerPayoffAndCaseStudy_AndStableIds()
    {
        await ArrangeAsync(hub.Client);
        var stranger = Visitor.StrangerThroughProxy(hub.Factory.Server);

        var first = await stranger.GetAsync("/public/feed.xml", "application/atom+xml");
        var second = await stranger.GetAsync("/public/feed.xml", "application/atom+xml");

        Assert.StartsWith("application/atom+xml", first.Headers.ContentType.ToString(), StringComparison.Ordinal);
        using var reader = XmlReader.Create(new StringReader(first.Body));
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
        Assert.Equal(first.Body, second.Body);

        // RFC 4287 4.1.1: a feed has exactly one id, title and updated; an author unless every entry has one; a self link is recommended.
        var root = XDocument.Parse(first.Body).Root!;
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
        var stranger = Visitor.StrangerThroughProxy(hub.Factory.Server);

        var answer = await stranger.GetAsync("/public/feed.xml", "application/atom+xml");

        var feed = SyndicationFeed.Load(XmlReader.Create(new StringReader(answer.Body)));
        Assert.Empty(feed.Items);
        Assert.Equal("Ada <Builder> & Co: payoffs built in public", feed.Title.Text);
    }
}
