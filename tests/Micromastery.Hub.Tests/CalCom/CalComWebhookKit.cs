using System.Text.Json.Nodes;
using Micromastery.Hub.CalCom;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.CalCom;

/// <summary>Cal.com deliveries: <c>X-Cal-Signature-256</c>, the bare hex MAC of the body.</summary>
public sealed class CalComWebhookKit : WebhookKit
{
    public override string Provider => CalComWebhookSource.Name;

    public override string SecretSetting => "CalCom:WebhookSecret";

    public override string Secret => ServicesHub.CalComSecret;

    public override string SignatureHeader => "X-Cal-Signature-256";

    public override string RealisticBody() => Payloads.Text("calcom", "booking_created.json");

    public override string MalformedSignature => "sha256={hex}";

    public override IReadOnlyList<string> IdentityCases => ["no payload", "no triggerEvent", "no createdAt", "empty object"];

    internal override IWebhookSource Source(string? secret) => TestWebhookSources.CalCom(secret);

    public override void SetSecret(ServicesHub hub, string? secret) => hub.SetSetting<CalComOptions>(SecretSetting, secret);

    public override string Tamper(string body) => body.Replace("bFJeNb2uX8ANpT3JL5EfXw", "attackerChosenUid00000", StringComparison.Ordinal);

    public override WebhookDelivery WithoutIdentity(WebhookDelivery delivery, string missing) => missing switch
    {
        "no payload" => delivery with { Body = Without(JsonNode.Parse(delivery.Body)!.AsObject(), "payload") },
        "no triggerEvent" => delivery with { Body = Without(JsonNode.Parse(delivery.Body)!.AsObject(), "triggerEvent") },
        "no createdAt" => delivery with { Body = Without(JsonNode.Parse(delivery.Body)!.AsObject(), "createdAt") },
        "empty object" => delivery with { Body = "{}" },
        _ => throw new ArgumentOutOfRangeException(nameof(missing), missing, "no such case"),
    };
}
