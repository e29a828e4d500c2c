using System.Text.Json.Nodes;
using Micromastery.Hub.LemonSqueezy;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.LemonSqueezy;

/// <summary>POST /webhooks/lemonsqueezy without a host: the X-Signature scheme, the de-duplication key, and what each event proves.</summary>
public sealed class LemonSqueezyWebhookSourceTests
{
    private static readonly LemonSqueezyWebhookSource Source = LemonSqueezyWebhookKit.Sources.Of();

    private static WebhookDelivery Delivery(string body) => new(LemonSqueezyWebhookSource.Name, body);

    private static InboxOutcome Map(string body)
    {
        var accepted = Assert.IsType<WebhookCheck.Accepted>(Delivery(body).CheckedBy(Source));
        return Source.Map(new StoredEvent(1, LemonSqueezyWebhookSource.Name, accepted.EventId, accepted.EventType, body, DateTimeOffset.UtcNow));
    }

    private static string Order(string fixture, Action<JsonObject> change)
    {
        var json = Payloads.Json("lemonsqueezy", fixture);
        change(json);
        return json.ToJsonString();
    }

    [Fact]
    public void SignedOrderCreated_IsAcceptedWithTheEventNameFromTheBody()
    {
        var delivery = Delivery(Payloads.Text("lemonsqueezy", "order_created.json"));

        var accepted = Assert.IsType<WebhookCheck.Accepted>(delivery.CheckedBy(Source));

        Assert.Equal("order_created", accepted.EventType);
        Assert.Equal("order_created:orders/4817353@2026-11-24T15:41:07.000000Z", accepted.EventId);
    }

    [Theory]
    [InlineData("sha256={hex}")]
    [InlineData("{hex}00")]
    [InlineData("zz")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    public void WrongSignature_IsRejected400(string template)
    {
        var delivery = Delivery(Payloads.Text("lemonsqueezy", "order_created.json"));

        var rejected = Assert.IsType<WebhookCheck.Rejected>((delivery with { Signature = delivery.Fill(template) }).CheckedBy(Source));

        Assert.Equal(400, rejected.StatusCode);
        Assert.Contains("X-Signature", rejected.Reason);
    }

    [Fact]
    public void MissingSecret_Is503NamingTheSetting()
    {
        var rejected = Assert.IsType<WebhookCheck.Rejected>(Delivery(Payloads.Text("lemonsqueezy", "order_created.json")).CheckedBy(LemonSqueezyWebhookKit.Sources.Of(null)));

        Assert.Equal(503, rejected.StatusCode);
        Assert.Contains("LemonSqueezy:WebhookSecret", rejected.Reason);
    }

    [Fact]
    public void Redelivery_HasTheSameKey_ALaterChangeToTheOrderAnother()
    {
        var body = Payloads.Text("lemonsqueezy", "order_created.json");
        // A resend may carry other bytes (key order, whitespace): the key is what the event reports, not the bytes.
        var resent = JsonNode.Parse(body)!.ToJsonString();
        var refunded = Payloads.Text("lemonsqueezy", "order_refunded.json");
        var refundedAgain = Order("order_refunded.json", j => j["data"]!["attributes"]!["updated_at"] = "2026-11-29T08:00:00.000000Z");

        string Key(string b) => Assert.IsType<WebhookCheck.Accepted>(Delivery(b).CheckedBy(Source)).EventId;

        Assert.NotEqual(body, resent);
        Assert.Equal(Key(body), Key(resent));
        Assert.NotEqual(Key(body), Key(refunded));
        Assert.NotEqual(Key(refunded), Key(refundedAgain));
    }

    [Fact]
    public void PaidTestOrder_IsObservedAsTheOrder()
    {
        var outcome = Map(Payloads.Text("lemonsqueezy", "order_created.json"));

        var observation = Assert.Single(outcome.Observations);
        Assert.Equal("lemonsqueezy", observation.Source);
        Assert.Equal(LemonSqueezyTestOrderCheck.Name, observation.Kind);
        Assert.Equal("4817353", observation.ExternalId);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 15, 41, 7, TimeSpan.Zero), observation.ObservedAt);
        Assert.StartsWith("https://app.lemonsqueezy.com/my-orders/0b3a9f0e-6f2e-4a61-9bd5-4f0a4c1a2d11", observation.Url);
        Assert.Equal("227816", observation.Fact("product"));
        Assert.Equal("253457", observation.Fact("variant"));
        Assert.True(new LemonSqueezyTestOrderCheck(api: null!).Satisfies(new Micromastery.Hub.Stack.CheckSpec("c", LemonSqueezyTestOrderCheck.Name, new Dictionary<string, string> { ["product"] = "227816" }, null, 1), observation));
    }

    [Theory]
    [InlineData("live", "live-mode order")]
    [InlineData("pending", "not paid")]
    [InlineData("other event", "proves no payoff")]
    public void OrdersThatProveNothing_AreIgnoredWithAReason(string change, string reason)
    {
        var body = Order("order_created.json", j =>
        {
            switch (change)
            {
                case "live":
                    j["meta"]!["test_mode"] = false;
                    break;
                case "pending":
                    j["data"]!["attributes"]!["status"] = "pending";
                    break;
                default:
                    j["meta"]!["event_name"] = "subscription_created";
                    break;
            }
        });

        var outcome = Map(body);

        Assert.Empty(outcome.Observations);
        Assert.Contains(reason, outcome.IgnoredBecause);
    }

    [Fact]
    public void OrderRefunded_RevokesTheOrder()
    {
        var outcome = Map(Payloads.Text("lemonsqueezy", "order_refunded.json"));

        var recheck = Assert.Single(outcome.Rechecks!);
        Assert.Equal(new Recheck("lemonsqueezy", LemonSqueezyTestOrderCheck.Name, "4817353", RecheckStates.Gone, "order refunded"), recheck);
    }

    [Fact]
    public void PartialRefund_ChangesTheOrderButKeepsIt()
    {
        var outcome = Map(Order("order_refunded.json", j =>
        {
            j["data"]!["attributes"]!["status"] = "partial_refund";
            j["data"]!["attributes"]!["refunded_amount"] = 500;
        }));

        var recheck = Assert.Single(outcome.Rechecks!);
        Assert.Equal(RecheckStates.Changed, recheck.State);
        Assert.Equal("partially refunded: 500 USD", recheck.Detail);
    }
}
