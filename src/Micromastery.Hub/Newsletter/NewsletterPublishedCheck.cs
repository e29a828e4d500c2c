using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Newsletter;

/// <summary>
/// <c>newsletter.published</c>: a first issue is out. Beehiiv through its API (<c>publication</c>), any
/// other newsletter through its RSS/Atom <c>feed</c>.
/// </summary>
public sealed class NewsletterPublishedCheck(BeehiivApi beehiiv, FeedReader feeds, TimeProvider clock) : IPollingCheckType
{
    public const string BeehiivSource = "beehiiv";

    public string Type => CheckTypes.NewsletterPublished;

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

        using var document = await beehiiv.FirstConfirmedPostAsync(publication, cancellationToken);
        var now = clock.GetUtcNow();
        return document.DataArray()
            .Where(p => p.Str("id") is not null && p.Str("status") == "confirmed" && p.Long("publish_date") is { } date && DateTimeOffset.FromUnixTimeSeconds(date) <= now)
            .Select(p => new Observation(BeehiivSource, CheckTypes.NewsletterPublished, p.Str("id")!, DateTimeOffset.FromUnixTimeSeconds(p.Long("publish_date")!.Value), p.Str("web_url"),
                new Dictionary<string, string?> { ["publication"] = publication, ["title"] = p.Str("title") }))
            .ToList();
    }

    public bool Satisfies(CheckSpec check, Observation observation) =>
        observation.Kind == CheckTypes.NewsletterPublished
        && (check.Get("feed") is { } feed
            ? observation.Fact("feed") == feed
            : check.Get("publication") is { } publication && observation.Fact("publication") == publication);

    public string ContextNoun => "publication";

    public string? ContextOf(Observation observation) => observation.Fact("publication") ?? observation.Fact("feed");
}
