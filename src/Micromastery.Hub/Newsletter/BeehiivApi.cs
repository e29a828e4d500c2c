using System.Text.Json;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Newsletter;

/// <summary>Beehiiv API v2: the first confirmed post of a publication, and its active subscriptions.</summary>
internal sealed class BeehiivApi(IHttpClientFactory httpClients, IOptionsMonitor<BeehiivOptions> options)
{
    public const string HttpClientName = "beehiiv";
    public const string Service = "Beehiiv";
    private const string Key = $"{BeehiivOptions.Section}:{nameof(BeehiivOptions.ApiKey)}";

    /// <summary>
    /// The newest ten confirmed (published or scheduled) posts: one request. Newest, not oldest: the oldest may be
    /// from an earlier attempt, before the practice, and would hide the issue the practice published.
    /// </summary>
    public Task<JsonDocument> NewestConfirmedPostsAsync(string publication, CancellationToken cancellationToken) =>
        GetAsync($"v2/publications/{Uri.EscapeDataString(publication)}/posts?status=confirmed&order_by=publish_date&direction=desc&limit=10", cancellationToken);

    /// <summary>GET one post by id, or null when Beehiiv has no such post.</summary>
    public Task<JsonDocument?> PostAsync(string publication, string post, CancellationToken cancellationToken)
    {
        var request = Request($"v2/publications/{Uri.EscapeDataString(publication)}/posts/{Uri.EscapeDataString(post)}");
        return ServiceHttp.FindJsonAsync(httpClients.CreateClient(HttpClientName), request, Service, Key, cancellationToken);
    }

    /// <summary>One page (up to 100) of active subscriptions; <paramref name="cursor"/> continues a listing.</summary>
    public Task<JsonDocument> ActiveSubscriptionsAsync(string publication, string? cursor, CancellationToken cancellationToken) =>
        GetAsync($"v2/publications/{Uri.EscapeDataString(publication)}/subscriptions?status=active&limit=100{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", cancellationToken);

    /// <summary>The publications the key can read (the <c>config</c> verb's cheap call).</summary>
    public Task<JsonDocument> PublicationsAsync(CancellationToken cancellationToken) => GetAsync("v2/publications?limit=10", cancellationToken);

    private Task<JsonDocument> GetAsync(string path, CancellationToken cancellationToken) =>
        ServiceHttp.GetJsonAsync(httpClients.CreateClient(HttpClientName), Request(path), Service, Key, cancellationToken);

    private HttpRequestMessage Request(string path)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            throw new CheckNotConfiguredException(Key);
        }

        var root = new Uri(settings.BaseUrl.EndsWith('/') ? settings.BaseUrl : settings.BaseUrl + "/");
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, path));
        request.Headers.Authorization = new("Bearer", settings.ApiKey);
        return request;
    }
}
