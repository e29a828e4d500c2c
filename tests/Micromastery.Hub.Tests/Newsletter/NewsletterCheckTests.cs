using Micromastery.Hub.Newsletter;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Newsletter;

/// <summary>Feed parsing over the recorded feeds and the newsletter check types' evaluation, without a host.</summary>
public sealed class NewsletterCheckTests
{
    private const string Feed = "https://notes.example.com/atom.xml";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly NewsletterPublishedCheck Published = new(beehiiv: null!, feeds: null!, TimeProvider.System);
    private static readonly NewsletterSubscribersCheck Subscribers = new(beehiiv: null!, TimeProvider.System);

    [Theory]
    [InlineData("atom-feed.xml", "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", "https://notes.example.com/issue-1")]
    [InlineData("substack-feed.xml", "174000001", "https://micromastery.substack.com/p/issue-1-why-micromasteries")]
    public void Parse_RecordedFeed_IsItsPublishedIssuesOnly(string file, string id, string link)
    {
        var issues = FeedReader.Parse(Feed, Payloads.Text("web", file), Now);

        var issue = Assert.Single(issues);
        Assert.Equal(id, issue.ExternalId);
        Assert.Equal(link, issue.Url);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), issue.ObservedAt);
        Assert.Equal(Feed, issue.Fact("feed"));
    }

    [Theory]
    [InlineData("<html><body>not a feed</body></html>")]
    [InlineData("<rss><channel>")]
    [InlineData("<!DOCTYPE rss [<!ENTITY x \"y\">]><rss/>")]
    public void Parse_SomethingThatIsNotAFeed_IsUnavailable(string xml) =>
        Assert.Throws<CheckUnavailableException>(() => FeedReader.Parse(Feed, xml, Now));

    [Theory]
    [InlineData($"feed={Feed}", true)]
    [InlineData("feed=https://other.example.com/feed", false)]
    [InlineData("publication=pub_1", false)]
    public void Published_Satisfies_AnIssueOfTheSameFeed(string parameter, bool expected)
    {
        var issue = FeedReader.Parse(Feed, Payloads.Text("web", "atom-feed.xml"), Now)[0];

        Assert.Equal(expected, Published.Satisfies(Checks.Spec(NewsletterPublishedCheck.Name, parameter), issue));
    }

    [Theory]
    [InlineData("pub_1", "5", "min=5", true)]
    [InlineData("pub_1", "4", "min=5", false)]
    [InlineData("pub_2", "9", "min=5", false)]
    [InlineData("pub_1", "many", "min=5", false)]
    public void Subscribers_Satisfies_AtLeastMinActiveOfThePublication(string publication, string active, string min, bool expected)
    {
        var seen = new Observation(NewsletterPublishedCheck.BeehiivSource, NewsletterSubscribersCheck.Name, $"{publication}:active>={active}", Now, null,
            new Dictionary<string, string?> { ["publication"] = publication, ["active"] = active });

        Assert.Equal(expected, Subscribers.Satisfies(Checks.Spec(NewsletterSubscribersCheck.Name, "publication=pub_1", min), seen));
    }
}
