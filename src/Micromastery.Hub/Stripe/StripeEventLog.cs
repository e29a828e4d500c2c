using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Stripe;

/// <summary>One event from Stripe's own log, with its JSON exactly as Stripe sends it by webhook.</summary>
internal sealed record LoggedStripeEvent(string Id, string Type, string Body);

/// <summary>
/// Stripe's event log (<c>GET /v1/events</c>, kept 30 days): what Stripe sent, or would have sent, by webhook.
/// Reconciliation asks it for the types the hub handles since a time, newest first, paged with <c>starting_after</c>.
/// </summary>
internal sealed class StripeEventLog(IHttpClientFactory clients, IOptionsMonitor<StripeOptions> options) : IProviderEventLog
{
    public const string HttpClientName = "stripe-events";

    /// <summary>The event types the hub's Stripe mapping acts on.</summary>
    public static readonly IReadOnlyList<string> HandledTypes =
    [
        "payment_intent.succeeded", "payment_intent.canceled", "charge.succeeded", "charge.refunded",
        "checkout.session.completed", "checkout.session.async_payment_succeeded",
    ];

    public string Provider => StripeWebhookSource.Name;

    /// <summary>Stripe keeps events for 30 days.</summary>
    public TimeSpan Retention => TimeSpan.FromDays(30);

    public string? NotAskedBecause => string.IsNullOrWhiteSpace(options.CurrentValue.ApiKey) ? $"{StripeOptions.Section}:{nameof(StripeOptions.ApiKey)} is not set" : null;

    /// <summary>Stripe's event id is the webhook's de-duplication key, and the event its body: the inbox drops what it holds.</summary>
    public async Task<IReadOnlyList<InboxEvent>> MissedSinceAsync(DateTimeOffset since, KnownEvents known, CancellationToken cancellationToken)
    {
        var events = await SinceAsync(since, cancellationToken);
        var held = await known([.. events.Select(e => e.Id)], cancellationToken);
        return [.. events.Where(e => !held.Contains(e.Id)).Select(e => new InboxEvent(Provider, e.Id, e.Type, e.Body, InboxVia.Reconciliation))];
    }

    public async Task<IReadOnlyList<LoggedStripeEvent>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var client = clients.CreateClient(HttpClientName);
        var events = new List<LoggedStripeEvent>();
        string? after = null;
        do
        {
            var query = string.Join('&', HandledTypes.Select(t => "types[]=" + Uri.EscapeDataString(t)))
                + "&created[gte]=" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "&limit=100"
                + (after is null ? "" : "&starting_after=" + Uri.EscapeDataString(after));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(settings.ApiBase.TrimEnd('/') + "/"), "v1/events?" + query));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
            using var response = await client.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var page = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            after = null;
            foreach (var e in page.RootElement.GetProperty("data").EnumerateArray())
            {
                events.Add(new LoggedStripeEvent(e.GetProperty("id").GetString()!, e.GetProperty("type").GetString()!, e.GetRawText()));
                after = events[^1].Id;
            }

            if (!page.RootElement.TryGetProperty("has_more", out var more) || !more.GetBoolean())
            {
                after = null;
            }
        }
        while (after is not null);

        return events;
    }
}
