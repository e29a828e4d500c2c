using System.Text.Json;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.CalCom;

/// <summary>
/// Cal.com API v2: each endpoint pinned to the <c>cal-api-version</c> whose shape the hub reads, the newest
/// Cal.com has for it (docs/checks.md says where that was checked).
/// </summary>
internal sealed class CalComApi(IHttpClientFactory httpClients, IOptionsMonitor<CalComOptions> options)
{
    public const string HttpClientName = "calcom";
    public const string Service = "Cal.com";
    public const string EventTypesVersion = "2024-06-14";
    public const string BookingsVersion = "2024-08-13";

    /// <summary>GET /v2/event-types: the user's event types.</summary>
    public Task<JsonDocument> EventTypesAsync(CancellationToken cancellationToken) => GetAsync("v2/event-types", EventTypesVersion, cancellationToken);

    /// <summary>GET /v2/bookings: the newest 20 bookings, upcoming and past.</summary>
    public Task<JsonDocument> BookingsAsync(CancellationToken cancellationToken) =>
        GetAsync("v2/bookings?status=upcoming,past&sortCreated=desc&take=20", BookingsVersion, cancellationToken);

    /// <summary>GET /v2/bookings/{uid}: one booking, or null when Cal.com has no such booking.</summary>
    public Task<JsonDocument?> BookingAsync(string uid, CancellationToken cancellationToken) =>
        ServiceHttp.FindJsonAsync(httpClients.CreateClient(HttpClientName), Request($"v2/bookings/{Uri.EscapeDataString(uid)}", BookingsVersion), Service, Key, cancellationToken);

    private const string Key = $"{CalComOptions.Section}:{nameof(CalComOptions.ApiKey)}";

    private Task<JsonDocument> GetAsync(string path, string version, CancellationToken cancellationToken) =>
        ServiceHttp.GetJsonAsync(httpClients.CreateClient(HttpClientName), Request(path, version), Service, Key, cancellationToken);

    private HttpRequestMessage Request(string path, string version)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            throw new CheckNotConfiguredException(Key);
        }

        var root = new Uri(settings.BaseUrl.EndsWith('/') ? settings.BaseUrl : settings.BaseUrl + "/");
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, path));
        request.Headers.Authorization = new("Bearer", settings.ApiKey);
        request.Headers.Add("cal-api-version", version);
        return request;
    }
}
