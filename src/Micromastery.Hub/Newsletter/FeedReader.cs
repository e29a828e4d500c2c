using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Newsletter;

/// <summary>
/// Any newsletter through its RSS 2.0 or Atom feed (Substack, Beehiiv, Buttondown, Ghost …), read with
/// a conditional GET: an unchanged feed answers 304 and is not parsed again.
/// </summary>
internal sealed class FeedReader(IHttpClientFactory httpClients, TimeProvider clock)
{
    public const string HttpClientName = "feed";
    public const string Source = "feed";
    private const string Service = "the feed";
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private readonly ConcurrentDictionary<string, CachedFeed> _cache = new(StringComparer.Ordinal);

    /// <summary>Published issues of the feed (dated now or earlier).</summary>
    public async Task<IReadOnlyList<Observation>> IssuesAsync(string feedUrl, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, feedUrl);
        request.Headers.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8");
        var cached = _cache.GetValueOrDefault(feedUrl);
        if (cached is { } c)
        {
            if (c.ETag is not null)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", c.ETag);
            }

            request.Headers.IfModifiedSince = c.LastModified;
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw PollingResilience.Unavailable(Service, ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotModified && cached is { } hit)
            {
                return hit.Items;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw PollingResilience.Unavailable(Service, response);
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var items = Parse(feedUrl, text, clock.GetUtcNow());
            _cache[feedUrl] = new CachedFeed(response.Headers.ETag?.ToString(), response.Content.Headers.LastModified, items);
            return items;
        }
    }

    private sealed record CachedFeed(string? ETag, DateTimeOffset? LastModified, IReadOnlyList<Observation> Items);

    public static IReadOnlyList<Observation> Parse(string feedUrl, string xml, DateTimeOffset now)
    {
        XDocument document;
        try
        {
            // No DTDs: a feed is data from the internet.
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new CheckUnavailableException($"{Service} is not valid XML: {ex.Message}", null, ex);
        }

        var root = document.Root;
        IEnumerable<(string? Id, string? Link, string? Title, string? Date)> entries = root?.Name.LocalName switch
        {
            "rss" => root.Elements("channel").Elements("item").Select(i => (
                (string?)i.Element("guid"), (string?)i.Element("link"), (string?)i.Element("title"), (string?)i.Element("pubDate"))),
            "feed" => root.Elements(Atom + "entry").Select(e => (
                (string?)e.Element(Atom + "id"),
                (string?)(e.Elements(Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate")?.Attribute("href")),
                (string?)e.Element(Atom + "title"),
                (string?)e.Element(Atom + "published") ?? (string?)e.Element(Atom + "updated"))),
            _ => throw new CheckUnavailableException($"{Service} is neither RSS 2.0 nor Atom (root element '{root?.Name.LocalName}')"),
        };

        var issues = new List<Observation>();
        foreach (var (id, link, title, date) in entries)
        {
            if ((id ?? link) is not { Length: > 0 } externalId || !TryParseDate(date, out var published) || published > now)
            {
                continue;
            }

            issues.Add(new Observation(Source, NewsletterPublishedCheck.Name, externalId, published, link,
                new Dictionary<string, string?> { ["feed"] = feedUrl, ["title"] = title }));
        }

        return issues;
    }

    /// <summary>RSS uses RFC 822 dates (<c>Mon, 02 Nov 2026 08:00:00 GMT</c>), Atom RFC 3339.</summary>
    private static bool TryParseDate(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
            || DateTimeOffset.TryParseExact(trimmed.Replace("GMT", "+0000", StringComparison.Ordinal).Replace("UT", "+0000", StringComparison.Ordinal),
                ["ddd, d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss zzz", "ddd, d MMM yyyy HH:mm zzz", "ddd, d MMM yyyy HH:mm:ss zzzz"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }
}
