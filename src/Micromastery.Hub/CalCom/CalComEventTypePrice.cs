using System.Globalization;
using System.Text.Json;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.CalCom;

/// <summary>
/// Whether an event type of <c>GET /v2/event-types</c> charges, decided as Cal.com decides it (its
/// <c>getPaymentAppData</c>): a payment app in <c>metadata.apps</c> that is <c>enabled</c> with a <c>price</c>
/// above 0. The top-level <c>price</c> is a column Cal.com only copies from the app when one is saved and
/// never clears when the app is turned off, so it is reported, never trusted.
/// </summary>
/// <param name="Seen">What the hub saw, for the check's message: e.g. <c>stripe 5000 usd</c>.</param>
internal sealed record CalComEventTypePrice(bool Paid, string Seen)
{
    public static CalComEventTypePrice Of(JsonElement eventType)
    {
        if (eventType.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("apps", out var apps) && apps.ValueKind == JsonValueKind.Object)
        {
            foreach (var app in apps.EnumerateObject())
            {
                if (app.Value.Bool("enabled") == true && app.Value.Long("price") is > 0 and var price)
                {
                    return new CalComEventTypePrice(true, $"{app.Name} {Amount(price, app.Value.Str("currency"))}");
                }
            }
        }

        return eventType.Long("price") is > 0 and var column
            ? new CalComEventTypePrice(false, $"free: price {Amount(column, eventType.Str("currency"))} but no enabled payment app")
            : new CalComEventTypePrice(false, "free");
    }

    /// <summary>Cal.com prices are in the currency's minor unit (5000 usd is 50.00 USD).</summary>
    private static string Amount(long minor, string? currency) =>
        $"{minor.ToString(CultureInfo.InvariantCulture)} {currency ?? "?"}";
}
