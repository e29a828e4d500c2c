using System.Globalization;
using System.Net;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.LandingPage;

/// <summary>
/// <c>http.page</c>: a URL answers 2xx over valid TLS, with a certificate valid for at least
/// <c>minCertDays</c>, optionally containing a text. Redirects are followed and reported.
/// </summary>
internal sealed class HttpPageCheck(PageFetcher fetcher, TimeProvider clock) : IPollingCheckType
{
    public const string Source = "web";
    private const int DefaultMinCertDays = 14;

    /// <summary>The type's name in the stack file.</summary>
    public const string Name = "http.page";

    public string Type => Name;

    public string HowVerified(CheckSpec check) => check.Get("text") is not null
        ? "a web page that loads over valid HTTPS and shows the expected text, fetched by the hub"
        : "a web page that loads over valid HTTPS, fetched by the hub";

    public string EvidenceTitle => "Page live over HTTPS";

    // A page the hub fetched over the internet is public by nature.
    public bool LinkIsPublic(Func<string, string?> fact) => true;

    public string Description => "A page answers 2xx over valid TLS (certificate valid for at least minCertDays), optionally containing a text.";

    public string DefaultSchedule => "0 */3 * * *";

    public IReadOnlyList<CheckParameter> Parameters { get; } =
    [
        new("url", Required: true, "The page, e.g. https://example.com/ (http:// is followed but must end on https).",
            v => Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "https" or "http" ? null : "an absolute http(s) URL"),
        new("text", Required: false, "A text the page must contain (case-insensitive)."),
        new("minCertDays", Required: false, $"Days the TLS certificate must stay valid (default {DefaultMinCertDays}).",
            v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : "a whole number of days"),
    ];

    public async Task<IReadOnlyList<Observation>> PollAsync(Stack.Micromastery micromastery, CheckSpec check, CancellationToken cancellationToken)
    {
        var url = check.Get("url")!;
        var visit = await fetcher.FetchAsync(url, cancellationToken);
        var redirects = visit.Chain.Count > 1 ? $" (via {string.Join(" → ", visit.Chain)})" : "";
        if ((int)visit.Status >= 500 || visit.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout)
        {
            throw new CheckUnavailableException($"{visit.FinalUrl} answered {(int)visit.Status}");
        }

        var final = new Uri(visit.FinalUrl);
        if (final.Scheme != Uri.UriSchemeHttps)
        {
            throw new CheckPendingException($"{visit.FinalUrl} is not served over https{redirects}");
        }

        if (!visit.Certificates.TryGetValue(final.IdnHost, out var certificate) && !visit.Certificates.TryGetValue(final.Host, out certificate))
        {
            throw new CheckUnavailableException($"no TLS certificate was seen for {final.Host}");
        }

        if (certificate.Problem is { } problem)
        {
            throw new CheckPendingException($"{final.Host}: {problem}");
        }

        var now = clock.GetUtcNow();
        var minDays = MinCertDays(check);
        if (certificate.NotAfter - now < TimeSpan.FromDays(minDays))
        {
            throw new CheckPendingException($"{final.Host}: certificate expires {certificate.NotAfter:yyyy-MM-dd}, less than {minDays} days away");
        }

        if ((int)visit.Status is < 200 or >= 300)
        {
            throw new CheckPendingException($"{visit.FinalUrl} answered {(int)visit.Status}{redirects}");
        }

        var text = check.Get("text");
        if (text is not null && !visit.Body.Contains(text, StringComparison.OrdinalIgnoreCase))
        {
            throw new CheckPendingException($"{visit.FinalUrl} does not contain \"{text}\"{redirects}");
        }

        return
        [
            new Observation(Source, HttpPageCheck.Name, text is null ? url : $"{url}#text={Uri.EscapeDataString(text)}", now, visit.FinalUrl,
                new Dictionary<string, string?>
                {
                    ["url"] = url,
                    ["finalUrl"] = visit.FinalUrl,
                    ["status"] = ((int)visit.Status).ToString(CultureInfo.InvariantCulture),
                    ["redirects"] = visit.Chain.Count > 1 ? string.Join(" → ", visit.Chain) : null,
                    ["certNotAfter"] = certificate.NotAfter.ToString("O", CultureInfo.InvariantCulture),
                    ["text"] = text,
                }),
        ];
    }

    public bool Satisfies(CheckSpec check, Observation observation) =>
        observation.Kind == HttpPageCheck.Name
        && observation.Fact("url") == check.Get("url")
        && observation.Fact("text") == check.Get("text")
        && DateTimeOffset.TryParse(observation.Fact("certNotAfter"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var notAfter)
        && notAfter - observation.ObservedAt >= TimeSpan.FromDays(MinCertDays(check));

    private static int MinCertDays(CheckSpec check) =>
        check.Get("minCertDays") is { } days ? int.Parse(days, CultureInfo.InvariantCulture) : DefaultMinCertDays;

    public string ContextNoun => "host";

    public string? ContextOf(Observation observation) =>
        Uri.TryCreate(observation.Url ?? observation.Fact("url"), UriKind.Absolute, out var page) ? page.Host : null;
}
