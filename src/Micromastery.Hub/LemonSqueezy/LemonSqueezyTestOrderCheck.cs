using System.Text.Json;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.LemonSqueezy;

/// <summary>
/// <c>lemonsqueezy.test-order</c>: a paid test-mode order. Webhooks (<c>order_created</c>) are the fast path; with
/// <c>LemonSqueezy:ApiKey</c> set, <c>GET /v1/orders</c> is the fallback and yields the same observation. Without a key
/// the check waits for webhooks.
/// </summary>
internal sealed class LemonSqueezyTestOrderCheck(LemonSqueezyApi api) : IRecheckableCheckType
{
    /// <summary>The type's name in the stack file.</summary>
    public const string Name = "lemonsqueezy.test-order";

    public string Type => Name;

    public string Description => "A test-mode Lemon Squeezy order was paid (optionally for one product or variant).";

    public string DefaultSchedule => "0 * * * *";

    public IReadOnlyList<CheckParameter> Parameters { get; } =
    [
        new("product", Required: false, "Only orders of this product (its numeric id).", Digits),
        new("variant", Required: false, "Only orders of this variant (its numeric id).", Digits),
        new("store", Required: false, "Only orders of this store (its numeric id), when the key sees several.", Digits),
    ];

    public string HowVerified(CheckSpec check) => "a test-mode order paid, reported by Lemon Squeezy";

    public string EvidenceTitle => "Test order paid (Lemon Squeezy)";

    public async Task<IReadOnlyList<Observation>> PollAsync(Stack.Micromastery micromastery, CheckSpec check, CancellationToken cancellationToken)
    {
        if (!api.HasKey)
        {
            throw new CheckPendingException($"waiting for a webhook (set {LemonSqueezyApi.KeySetting} to poll as well)");
        }

        using var document = await api.OrdersAsync(check.Get("store"), cancellationToken);
        return document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? [.. data.EnumerateArray().Select(order => LemonSqueezyOrders.Observation(order)).OfType<Observation>()]
            : throw new CheckUnavailableException($"{LemonSqueezyApi.Service} answered without a 'data' array");
    }

    public async Task<Recheck> RecheckAsync(CheckSpec check, Observation observation, CancellationToken cancellationToken)
    {
        using var document = await api.OrderAsync(observation.ExternalId, cancellationToken);
        if (document is null)
        {
            return Reconfirmer.Answer(observation, RecheckStates.Gone, "Lemon Squeezy has no such order");
        }

        var attributes = document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        return attributes.ValueKind == JsonValueKind.Object
            ? LemonSqueezyOrders.Answer(observation.ExternalId, Infrastructure.JsonFields.Str(attributes, "status"), LemonSqueezyOrders.Number(attributes, "refunded_amount"), Infrastructure.JsonFields.Str(attributes, "currency"))
            : throw new CheckUnavailableException($"{LemonSqueezyApi.Service} answered an order without attributes");
    }

    public bool Satisfies(CheckSpec check, Observation observation) =>
        observation.Kind == Name
        && observation.Fact("status") == "paid"
        && observation.Fact("testMode") == "true"
        && (check.Get("product") is not { } product || observation.Fact("product") == product)
        && (check.Get("variant") is not { } variant || observation.Fact("variant") == variant)
        && (check.Get("store") is not { } store || observation.Fact("store") == store);

    public string ContextNoun => "product or variant";

    // One product sold in two variants is two contexts, as is a second product.
    public string? ContextOf(Observation observation) =>
        observation.Fact("product") is { } product ? $"product {product} / variant {observation.Fact("variant") ?? "?"}" : null;

    private static string? Digits(string value) => value.Length is > 0 and <= 20 && value.All(char.IsAsciiDigit) ? null : "a numeric id, e.g. 12345";
}
