using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Stripe;

/// <summary>One event from Stripe's own log, with its JSON exactly as Stripe sends it by webhook.</summary>
public sealed record LoggedStripeEvent(string Id, string Type, string Body);

/// <summary>
/// Stripe's event log (<c>GET /v1/events</c>, kept 30 days): what Stripe sent, or would have sent, by webhook.
/// Reconciliation asks it for the types the hub handles since a time, newest first, paged with <c>starting_after</c>.
/// </summary>
public sealed class StripeEventLog(IHttpClientFactory clients, IOptionsMonitor<StripeOptions> options)
{
    public const string HttpClientName = "stripe-events";

    /// <summary>The event types the hub's Stripe mapping acts on.</summary>
    public static readonly IReadOnlyList<string> HandledTypes =
    [
        "payment_intent.succeeded", "payment_intent.canceled", "charge.succeeded", "charge.refunded",
        "checkout.session.completed", "checkout.session.async_payment_succeeded",
    ];

    /// <summary>Stripe keeps events for 30 days.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.CurrentValue.ApiKey);

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
