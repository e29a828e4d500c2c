using System.Text.Json.Nodes;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.Stripe;

/// <summary>
/// Stripe polling beside the webhook, on the hub's services without a host against an api.stripe.com stand-in: a payment
/// that arrives by webhook (through the receiver and the inbox's group commit) and is then polled is one evidence; a 429
/// with a long Retry-After is asked once. (With the stand-ins' 2.5 s attempt timeout the 429 case saw two requests in 3 s
/// beside other tests, one alone: the cold first attempt timed out and was retried. Here the attempt timeout is long, so
/// only a retry of the 429 itself would ask twice.)
/// </summary>
[Collection(StandInsCollection.Name)]
public sealed class StripeWebhookAndPollTests(ServiceStandIns hub) : IAsyncLifetime
{
    private const string Slug = "stripe-payment-link";

    // A cold first call (Stripe.net's first request in the process, on a loaded machine) can outlast the stand-ins' short
    // attempt timeout; its retry would be a second request for another reason than the 429 asked about.
    private static readonly Dictionary<string, string?> AttemptTimeout = new() { ["Polling:AttemptTimeoutMs"] = "30000" };

    public Task InitializeAsync() => hub.ResetServicesAsync("""
        timeZone: UTC
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
            checks:
              - type: stripe.test-payment
              - type: stripe.payment-link
        """, AttemptTimeout);

    public Task DisposeAsync() => Task.CompletedTask;

    private static string List(string path, params JsonObject[] items) =>
        new JsonObject { ["object"] = "list", ["data"] = new JsonArray(items), ["has_more"] = false, ["url"] = path }.ToJsonString();

    private static JsonObject SucceededIntent(string id)
    {
        var pi = StripeEvents.Fixture("payment_intent");
        pi["id"] = id;
        pi["status"] = "succeeded";
        pi["amount_received"] = pi["amount"]!.GetValue<long>();
        pi["livemode"] = false;
        return pi;
    }

    private void Serve(string path, string body) =>
        hub.Stripe.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithHeader("Request-Id", "req_test").WithBody(body));

    [Fact]
    public async Task PaymentSeenByWebhookAndByPoll_IsOneEvidence()
    {
        var body = StripeEvents.PaymentIntentSucceeded(paymentIntentId: "pi_both_ways");
        await using (var inbox = await WebhookInbox.StartAsync(hub.Hub))
        {
            Assert.Equal(200, (await inbox.ReceiveAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)))).Status);
        }

        Assert.Equal(1, await hub.EvidenceCountAsync(Slug));
        Serve("/v1/payment_intents", List("/v1/payment_intents", SucceededIntent("pi_both_ways")));

        await hub.RunCheckAsync(Slug, "stripe.test-payment");

        Assert.Equal(1, await hub.EvidenceCountAsync(Slug));
    }

    [Fact]
    public async Task RateLimited429WithLongRetryAfter_IsUnknownWithThatDelay()
    {
        hub.Stripe.Given(Request.Create().WithPath("/v1/payment_intents").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30").WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests."}}"""));

        var result = await hub.RunCheckAsync(Slug, "stripe.test-payment");

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Single(hub.Requests(hub.Stripe));
        Assert.Equal(TimeSpan.FromSeconds(30), result.Failure!.RetryAfter);
    }
}
