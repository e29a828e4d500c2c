using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Newsletter;

/// <summary>
/// <c>newsletter.published</c>: a first issue is out. Beehiiv through its API (<c>publication</c>), any
/// other newsletter through its RSS/Atom <c>feed</c>.
/// </summary>
internal sealed class NewsletterPublishedCheck(BeehiivApi beehiiv, FeedReader feeds, TimeProvider clock) : IRecheckableCheckType
{
    public const string BeehiivSource = "beehiiv";

    /// <summary>The type's name in the stack file.</summary>
    public const string Name = "newsletter.published";

    public string Type => Name;

    public string HowVerified(CheckSpec check) => check.Get("feed") is not null
        ? "a newsletter issue published, seen in the newsletter's public feed"
        : "a newsletter issue published, reported by Beehiiv";

    public string EvidenceTitle => "Newsletter issue published";

    // An issue from a feed or a published post is public by nature.
    public bool LinkIsPublic(Func<string, string?> fact) => true;

    public string Description => "A first newsletter issue is published: a confirmed Beehiiv post, or an item in the newsletter's RSS/Atom feed.";

    public string DefaultSchedule => "0 */6 * * *";

    public IReadOnlyList<CheckParameter> Parameters { get; } =
    [
        new("publication", Required: false, "Beehiiv publication id (pub_…); needs Beehiiv:ApiKey.",
            v => v.StartsWith("pub_", StringComparison.Ordinal) ? null : "a Beehiiv publication id starts with 'pub_'"),
        new("feed", Required: false, "RSS or Atom feed URL of any newsletter (e.g. https://NAME.substack.com/feed).",
            v => Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "https" or "http" ? null : "an absolute http(s) URL"),
    ];

    public async Task<IReadOnlyList<Observation>> PollAsync(Stack.Micromastery micromastery, CheckSpec check, CancellationToken cancellationToken)
    {
        if (check.Get("feed") is { } feed)
        {
            return await feeds.IssuesAsync(feed, cancellationToken);
        }

        if (check.Get("publication") is not { } publication)
        {
            throw new CheckNotConfiguredException("a 'publication' or 'feed' parameter on this check in the stack file");
        }

        using var document = await beehiiv.NewestConfirmedPostsAsync(publication, cancellationToken);
        var now = clock.GetUtcNow();
        return document.DataArray()
            .Where(p => p.Str("id") is not null && p.Str("status") == "confirmed" && p.Long("publish_date") is { } date && DateTimeOffset.FromUnixTimeSeconds(date) <= now)
            .Select(p => new Observation(BeehiivSource, NewsletterPublishedCheck.Name, p.Str("id")!, DateTimeOffset.FromUnixTimeSeconds(p.Long("publish_date")!.Value), p.Str("web_url"),
                new Dictionary<string, string?> { ["publication"] = publication, ["title"] = p.Str("title") }))
            .ToList();
    }

    /// <summary>Beehiiv: the post by id, still published. A feed: the item still in it; a feed rotates old items out, so absence is "not re-checkable", never gone.</summary>
    public async Task<Recheck> RecheckAsync(CheckSpec check, Observation observation, CancellationToken cancellationToken)
    {
        if (observation.Source != BeehiivSource)
        {
            var feed = observation.Fact("feed") ?? check.Get("feed");
            var items = feed is null ? [] : await feeds.IssuesAsync(feed, cancellationToken);
            return items.Any(i => i.ExternalId == observation.ExternalId)
                ? Reconfirmer.Answer(observation, RecheckStates.Confirmed, null)
                : Reconfirmer.Answer(observation, RecheckStates.NotRecheckable, "no longer in the feed (feeds keep only recent items)");
        }

        using var document = await beehiiv.PostAsync(observation.Fact("publication") ?? check.Get("publication") ?? "", observation.ExternalId, cancellationToken);
        var post = document?.RootElement.TryGetProperty("data", out var data) == true && data.ValueKind == System.Text.Json.JsonValueKind.Object ? data : (System.Text.Json.JsonElement?)null;
        return post is not { } p ? Reconfirmer.Answer(observation, RecheckStates.Gone, "Beehiiv has no such post")
            : p.Str("status") == "confirmed" ? Reconfirmer.Answer(observation, RecheckStates.Confirmed, null)
            : Reconfirmer.Answer(observation, RecheckStates.Gone, $"post is {p.Str("status") ?? "without a status"}");
    }

    public bool Satisfies(CheckSpec check, Observation observation) =>
        observation.Kind == NewsletterPublishedCheck.Name
        && (check.Get("feed") is { } feed
            ? observation.Fact("feed") == feed
            : check.Get("publication") is { } publication && observation.Fact("publication") == publication);

    public string ContextNoun => "publication";

    public string? ContextOf(Observation observation) => observation.Fact("publication") ?? observation.Fact("feed");
}
