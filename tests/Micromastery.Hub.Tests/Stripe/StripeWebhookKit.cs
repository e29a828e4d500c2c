using System.Text;
using System.Text.Json.Nodes;
using Micromastery.Hub.Stripe;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Stripe;

/// <summary>Stripe deliveries: <c>Stripe-Signature: t=…,v1=…</c>, the MAC over "{t}.{body}".</summary>
public sealed class StripeWebhookKit : WebhookKit
{
    public override string Provider => StripeWebhookSource.Name;

    public override string SecretSetting => "Stripe:WebhookSecret";

    public override string Secret => HubFactory.StripeSecret;

    public override string SignatureHeader => "Stripe-Signature";

    public override string RealisticBody() => StripeEvents.PaymentIntentSucceeded();

    public override string MalformedSignature => "t={t},v0={hex}";

    public override IReadOnlyList<string> IdentityCases => ["no id", "no type", "empty object"];

    internal override IWebhookSource Source(string? secret) => TestWebhookSources.Stripe(secret);

    public override void SetSecret(ServicesHub hub, string? secret) => hub.SetSetting<StripeOptions>(SecretSetting, secret);

    public override string Tamper(string body) => body.Replace("\"amount_received\":1900", "\"amount_received\":1", StringComparison.Ordinal);

    public override WebhookDelivery WithoutIdentity(WebhookDelivery delivery, string missing) => missing switch
    {
        "no id" => delivery with { Body = Without(JsonNode.Parse(delivery.Body)!.AsObject(), "id") },
        "no type" => delivery with { Body = Without(JsonNode.Parse(delivery.Body)!.AsObject(), "type") },
        "empty object" => delivery with { Body = "{}" },
        _ => throw new ArgumentOutOfRangeException(nameof(missing), missing, "no such case"),
    };

    public override string Header(string timestamp, string hex) => $"t={timestamp},v1={hex}";

    public override byte[] Signed(string timestamp, byte[] body) => [.. Encoding.UTF8.GetBytes(timestamp + "."), .. body];
}
