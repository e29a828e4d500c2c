using System.Globalization;
using System.Text.Json;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.LemonSqueezy;

/// <summary>
/// A Lemon Squeezy order (a JSON:API <c>orders</c> resource) as an observation, built the same way from an
/// <c>order_created</c> webhook and from <c>GET /v1/orders</c>: the order id is the external id, so one order is one
/// piece of evidence however it arrived.
/// </summary>
internal static class LemonSqueezyOrders
{
    public const string Source = "lemonsqueezy";

    /// <summary>The order as an observation, or null when the resource is not an order with an id.</summary>
    public static Observation? Observation(JsonElement order, string? eventName = null)
    {
        if (order.ValueKind != JsonValueKind.Object || order.Str("type") != "orders" || order.Str("id") is not { Length: > 0 } id
            || !order.TryGetProperty("attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var item = attributes.TryGetProperty("first_order_item", out var first) && first.ValueKind == JsonValueKind.Object ? first : default;
        var createdAt = DateTimeOffset.TryParse(attributes.Str("created_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        if (createdAt is null)
        {
            return null;
        }

        // The receipt is the order's own page; the dashboard link is the fallback. Neither is public by nature (a receipt link is a capability).
        var url = attributes.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.Object && urls.Str("receipt") is { Length: > 0 } receipt
            ? receipt
            : $"https://app.lemonsqueezy.com/orders/{id}";
        var facts = new Dictionary<string, string?>
        {
            ["status"] = attributes.Str("status"),
            ["testMode"] = attributes.Bool("test_mode") is { } test ? (test ? "true" : "false") : null,
            ["store"] = Number(attributes, "store_id"),
            ["product"] = item.ValueKind == JsonValueKind.Object ? Number(item, "product_id") : null,
            ["variant"] = item.ValueKind == JsonValueKind.Object ? Number(item, "variant_id") : null,
            ["productName"] = item.ValueKind == JsonValueKind.Object ? item.Str("product_name") : null,
            ["total"] = Number(attributes, "total"),
            ["currency"] = attributes.Str("currency"),
            ["orderNumber"] = Number(attributes, "order_number"),
            ["eventType"] = eventName,
        };
        return new Observation(Source, LemonSqueezyTestOrderCheck.Name, id, createdAt.Value, url, facts);
    }

    /// <summary>What an order's status now says of it as proof: paid holds; refunded revokes; a partial refund changes it.</summary>
    public static Recheck Answer(string orderId, string? status, string? refundedAmount, string? currency) => status switch
    {
        "paid" => new Recheck(Source, LemonSqueezyTestOrderCheck.Name, orderId, RecheckStates.Confirmed, null),
        "partial_refund" => new Recheck(Source, LemonSqueezyTestOrderCheck.Name, orderId, RecheckStates.Changed, $"partially refunded: {refundedAmount ?? "?"} {currency}".TrimEnd()),
        "refunded" => new Recheck(Source, LemonSqueezyTestOrderCheck.Name, orderId, RecheckStates.Gone, "order refunded"),
        _ => new Recheck(Source, LemonSqueezyTestOrderCheck.Name, orderId, RecheckStates.Gone, $"order status is {status ?? "missing"}"),
    };

    /// <summary>A JSON number (or numeric string) as invariant text.</summary>
    internal static string? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.String => value.GetString(),
                _ => null,
            }
            : null;
}
