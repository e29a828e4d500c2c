using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.GitHub;

/// <summary>
/// GitHub's record of webhook deliveries (kept 3 days on github.com), for the repositories the stack's checks name:
/// the repository webhooks that point at this hub (<c>GET /repos/{owner}/{repo}/hooks</c>) and those of the owning
/// organization (<c>GET /orgs/{org}/hooks</c>, when the owner is one and the token may read them), their deliveries newest
/// first, paged by the <c>Link</c> header's cursor until before the time asked, and for each delivery the hub acts on
/// and does not hold, its payload and headers (<c>GET …/deliveries/{id}</c>), stored as the webhook would have stored it.
/// </summary>
internal sealed class GitHubDeliveryLog(
    IHttpClientFactory clients,
    IOptionsMonitor<GitHubOptions> options,
    IOptionsMonitor<PublicOptions> publicOptions,
    StackStore stack) : IProviderEventLog
{
    /// <summary>Pages of deliveries read per hook at most (100 each): a bound on a reconciliation's cost in requests.</summary>
    private const int MaxPages = 20;

    public string Provider => GitHubWebhookSource.Name;

    public TimeSpan Retention => TimeSpan.FromDays(3);

    public string? NotAskedBecause =>
        string.IsNullOrWhiteSpace(options.CurrentValue.Token) ? $"{GitHubOptions.Section}:{nameof(GitHubOptions.Token)} is not set"
        : Repositories().Count == 0 ? "no check of the stack names a GitHub repository"
        : null;

    public async Task<IReadOnlyList<InboxEvent>> MissedSinceAsync(DateTimeOffset since, KnownEvents known, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(GitHubApi.HttpClientName);
        var missed = new List<InboxEvent>();
        var repositories = Repositories();
        var scopes = new List<(string Scope, List<long> Hooks)>();
        foreach (var (owner, name) in repositories)
        {
            var repository = $"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}";
            scopes.Add((repository, await HooksAsync(client, repository, optional: false, cancellationToken)));
        }

        // An organization's webhooks deliver for all its repositories; a user account has none (404), and a token
        // scoped to repositories may not read them (403): either way there is nothing more to ask there.
        foreach (var owner in repositories.Select(r => r.Owner).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var organization = $"orgs/{Uri.EscapeDataString(owner)}";
            scopes.Add((organization, await HooksAsync(client, organization, optional: true, cancellationToken)));
        }

        foreach (var (repository, hooks) in scopes)
        {
            foreach (var hook in hooks)
            {
                // A redelivery repeats its GUID: one key per GUID, as the webhook path stores it.
                var wanted = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var delivery in await DeliveriesAsync(client, repository, hook, since, cancellationToken))
                {
                    wanted.TryAdd(GitHubWebhookSource.EventKey(hook.ToString(CultureInfo.InvariantCulture), delivery.Guid), delivery.Id);
                }

                var held = await known(wanted.Keys, cancellationToken);
                foreach (var (key, id) in wanted.Where(w => !held.Contains(w.Key)))
                {
                    missed.Add(await DeliveryAsync(client, $"{repository}/hooks/{hook}/deliveries/{id}", key, cancellationToken));
                }
            }
        }

        return missed;
    }

    /// <summary>The repositories the stack's GitHub checks name.</summary>
    private List<(string Owner, string Name)> Repositories() =>
        [.. stack.Current.Micromasteries.SelectMany(m => m.Checks)
            .Where(c => c.Type == GitHubWorkflowRunCheck.Name)
            .Select(c => GitHubWorkflowRunCheck.SplitRepo(c.Get("repo") ?? ""))
            .OfType<(string, string)>()
            .DistinctBy(r => $"{r.Item1}/{r.Item2}".ToLowerInvariant())];

    /// <summary>
    /// The ids of the repository's (or organization's) webhooks whose payload URL is this hub's GitHub receiver; with
    /// <paramref name="optional"/>, none when GitHub answers 404 or 403.
    /// </summary>
    private async Task<List<long>> HooksAsync(HttpClient client, string scope, bool optional, CancellationToken cancellationToken)
    {
        using var page = await GetAsync(client, $"{scope}/hooks?per_page=100", cancellationToken, optional);
        if (page is null)
        {
            return [];
        }

        return [.. page.Json.RootElement.EnumerateArray()
            .Where(h => h.TryGetProperty("config", out var config) && PointsHere(config.Str("url"), publicOptions.CurrentValue.Absolute(WebhookPath)))
            .Select(h => h.GetProperty("id").GetInt64())];
    }

    /// <summary>
    /// Public:BaseUrl + /webhooks/github when it is set; without it the hub does not know the address strangers use,
    /// so any payload URL whose path is /webhooks/github is taken as this hub's.
    /// </summary>
    public static bool PointsHere(string? url, string? ours)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return ours is not null
            ? string.Equals(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'), ours.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
            : string.Equals(uri.AbsolutePath.TrimEnd('/'), WebhookPath, StringComparison.OrdinalIgnoreCase);
    }

    private const string WebhookPath = "/webhooks/" + GitHubWebhookSource.Name;

    private sealed record Delivery(long Id, string Guid);

    /// <summary>The hook's deliveries at or after <paramref name="since"/> of the events the hub acts on, newest first.</summary>
    private async Task<List<Delivery>> DeliveriesAsync(HttpClient client, string repository, long hook, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var deliveries = new List<Delivery>();
        string? next = $"{repository}/hooks/{hook}/deliveries?per_page=100";
        for (var pages = 0; next is not null && pages < MaxPages; pages++)
        {
            using var page = await GetAsync(client, next, cancellationToken);
            next = NextPage(page.Links, new Uri(options.CurrentValue.BaseUrl));
            foreach (var d in page.Json.RootElement.EnumerateArray())
            {
                if (!DateTimeOffset.TryParse(d.Str("delivered_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) || at < since)
                {
                    // Newest first: everything after this one is older still.
                    next = null;
                    break;
                }

                if (d.Str("guid") is { Length: > 0 } guid && GitHubWebhookSource.ActsOn(d.Str("event"), d.Str("action")))
                {
                    deliveries.Add(new Delivery(d.GetProperty("id").GetInt64(), guid));
                }
            }
        }

        return deliveries;
    }

    /// <summary>One delivery's payload, with the event name GitHub sent in <c>X-GitHub-Event</c>.</summary>
    private async Task<InboxEvent> DeliveryAsync(HttpClient client, string path, string key, CancellationToken cancellationToken)
    {
        using var page = await GetAsync(client, path, cancellationToken);
        var root = page.Json.RootElement;
        var request = root.GetProperty("request");
        var eventName = request.TryGetProperty("headers", out var headers)
            ? headers.EnumerateObject().FirstOrDefault(h => string.Equals(h.Name, "X-GitHub-Event", StringComparison.OrdinalIgnoreCase)).Value.ToString()
            : null;
        var payload = request.GetProperty("payload");
        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw new CheckUnavailableException($"GitHub answered delivery {root.GetProperty("id")} without a JSON payload");
        }

        return new InboxEvent(Provider, key, string.IsNullOrEmpty(eventName) ? root.Str("event") ?? "unknown" : eventName, payload.GetRawText(), InboxVia.Reconciliation);
    }

    private sealed class Page(JsonDocument json, string? links) : IDisposable
    {
        public JsonDocument Json => json;

        public string? Links => links;

        public void Dispose() => json.Dispose();
    }

    private async Task<Page> GetAsync(HttpClient client, string pathOrUrl, CancellationToken cancellationToken) =>
        (await GetAsync(client, pathOrUrl, cancellationToken, optional: false))!;

    private async Task<Page?> GetAsync(HttpClient client, string pathOrUrl, CancellationToken cancellationToken, bool optional)
    {
        var settings = options.CurrentValue;
        var root = new Uri(settings.BaseUrl.TrimEnd('/') + "/");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, pathOrUrl));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("micromastery-hub");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        using var response = await client.SendAsync(request, cancellationToken);
        if (optional && IsNotThere(response))
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw Refusal(response);
        }

        var links = response.Headers.TryGetValues("Link", out var values) ? string.Join(',', values) : null;
        var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return new Page(json, links);
    }

    /// <summary>404: no such organization (the owner is a user); 403 other than a spent rate limit: the token may not read its webhooks.</summary>
    private static bool IsNotThere(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.NotFound
        || (response.StatusCode == HttpStatusCode.Forbidden
            && !(response.Headers.TryGetValues("x-ratelimit-remaining", out var remaining) && remaining.FirstOrDefault() == "0"));

    private static Exception Refusal(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        var remaining = response.Headers.TryGetValues("x-ratelimit-remaining", out var r) ? r.FirstOrDefault() : null;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CheckNotConfiguredException($"{GitHubOptions.Section}:{nameof(GitHubOptions.Token)} (GitHub rejected the token)", rejected: true),
            HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests when remaining == "0" => new CheckUnavailableException("GitHub rate limit spent"),
            HttpStatusCode.TooManyRequests => new CheckUnavailableException("GitHub secondary rate limit (429)"),
            HttpStatusCode.Forbidden or HttpStatusCode.NotFound => new CheckUnavailableException(
                $"GitHub answered {code}: the token cannot read the repository's webhooks (a fine-grained token needs Webhooks: read)"),
            _ => new CheckUnavailableException($"GitHub answered {code}"),
        };
    }

    /// <summary>The <c>rel="next"</c> URL of a <c>Link</c> header, or null on the last page (or one on another host: the token goes to GitHub only).</summary>
    public static string? NextPage(string? links, Uri api)
    {
        foreach (var part in (links ?? "").Split(','))
        {
            var segments = part.Split(';', StringSplitOptions.TrimEntries);
            if (segments.Length > 1 && segments[0].StartsWith('<') && segments[0].EndsWith('>')
                && segments.Skip(1).Any(s => s.Replace(" ", "", StringComparison.Ordinal) == "rel=\"next\""))
            {
                var next = segments[0][1..^1];
                return Uri.TryCreate(next, UriKind.Absolute, out var uri) && !string.Equals(uri.Authority, api.Authority, StringComparison.OrdinalIgnoreCase) ? null : next;
            }
        }

        return null;
    }
}
