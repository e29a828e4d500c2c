using System.Text.Json;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.LemonSqueezy;

/// <summary>Lemon Squeezy's JSON:API (<c>application/vnd.api+json</c>, bearer key): orders, newest first.</summary>
internal sealed class LemonSqueezyApi(IHttpClientFactory httpClients, IOptionsMonitor<LemonSqueezyOptions> options)
{
    public const string HttpClientName = "lemonsqueezy";
    public const string Service = "Lemon Squeezy";
    public const string KeySetting = $"{LemonSqueezyOptions.Section}:{nameof(LemonSqueezyOptions.ApiKey)}";
    private const int PageSize = 50;

    public bool HasKey => !string.IsNullOrWhiteSpace(options.CurrentValue.ApiKey);

    /// <summary>GET /v1/orders: the newest orders (of one store when given), one page.</summary>
    public Task<JsonDocument> OrdersAsync(string? store, CancellationToken cancellationToken) =>
        ServiceHttp.GetJsonAsync(httpClients.CreateClient(HttpClientName),
            Request(store is null ? $"v1/orders?page[size]={PageSize}" : $"v1/orders?filter[store_id]={Uri.EscapeDataString(store)}&page[size]={PageSize}"),
            Service, KeySetting, cancellationToken);

    /// <summary>GET /v1/orders/{id}: one order, or null when Lemon Squeezy has no such order.</summary>
    public Task<JsonDocument?> OrderAsync(string id, CancellationToken cancellationToken) =>
        ServiceHttp.FindJsonAsync(httpClients.CreateClient(HttpClientName), Request($"v1/orders/{Uri.EscapeDataString(id)}"), Service, KeySetting, cancellationToken);

    /// <summary>GET /v1/users/me: who the key belongs to (the probe's cheap call).</summary>
    public Task<JsonDocument> MeAsync(CancellationToken cancellationToken) =>
        ServiceHttp.GetJsonAsync(httpClients.CreateClient(HttpClientName), Request("v1/users/me"), Service, KeySetting, cancellationToken);

    private HttpRequestMessage Request(string path)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            throw new CheckNotConfiguredException(KeySetting);
        }

        var root = new Uri(settings.BaseUrl.EndsWith('/') ? settings.BaseUrl : settings.BaseUrl + "/");
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, path));
        request.Headers.Authorization = new("Bearer", settings.ApiKey);
        request.Headers.Accept.ParseAdd("application/vnd.api+json");
        return request;
    }
}
