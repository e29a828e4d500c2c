using System.Text.Json.Nodes;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stripe;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.Stripe;

/// <summary>
/// The Stripe polling fallback and stripe.payment-link against an api.stripe.com stand-in (Stripe's fixture objects), on the
/// hub's services without a host; the same payment seen by webhook and by poll, and a
/// long-delayed 429 (one request only), are in <see cref="StripeWebhookAndPollTests"/>.
/// </summary>
[Collection(StandInsCollection.Name)]
public sealed class StripePollTests(ServiceStandIns hub) : IAsyncLifetime
{
    private const string Slug = "stripe-payment-link";
    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
            checks:
              - type: stripe.test-payment
              - type: stripe.payment-link
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

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

    private void Serve(string path, string body, int status = 200) =>
        hub.Stripe.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithHeader("Request-Id", "req_test").WithBody(body));

    [Fact]
    public async Task SucceededTestPaymentIntent_HoldsWithTheDashboardLink()
    {
        Serve("/v1/payment_intents", List("/v1/payment_intents", SucceededIntent("pi_polled_1")));

        var result = await hub.RunCheckAsync(Slug, "stripe.test-payment");

        Assert.Equal(CheckStates.Holds, result!.State);
        var evidence = Assert.Single((await hub.MicromasteryAsync(Slug)).Evidence);
        Assert.Equal("https://dashboard.stripe.com/test/payments/pi_polled_1", evidence.Url);
        var request = hub.Requests(hub.Stripe).Single().RequestMessage;
        Assert.Equal("Bearer sk_test_hub_0123456789", request.Headers!["Authorization"].Single());
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            request.Query!["created[gte]"].Single()); // the practice window's start: no paging through old payments
    }

    [Fact]
    public async Task PaymentCreatedBeforeTheStart_IsRecordedAsPriorEvidence_AndDoesNotHold()
    {
        var old = SucceededIntent("pi_polled_old");
        old["created"] = new DateTimeOffset(2025, 11, 29, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Serve("/v1/payment_intents", List("/v1/payment_intents", old));

        var result = await hub.RunCheckAsync(Slug, "stripe.test-payment");

        Assert.Equal(CheckStates.Pending, result!.State);
        Assert.Contains("prior evidence", result.Message, StringComparison.Ordinal);
        var m = await hub.MicromasteryAsync(Slug);
        Assert.True(Assert.Single(m.Evidence).Prior);
        Assert.NotEqual(PayoffStates.Verified, m.Payoff);
    }

    [Fact]
    public async Task UnfinishedOrLiveModeIntents_DoNotHold()
    {
        var unfinished = StripeEvents.Fixture("payment_intent");
        var live = SucceededIntent("pi_live");
        live["livemode"] = true;
        Serve("/v1/payment_intents", List("/v1/payment_intents", unfinished, live));

        var result = await hub.RunCheckAsync(Slug, "stripe.test-payment");

        Assert.Equal(CheckStates.Pending, result!.State);
        Assert.Equal(0, await hub.EvidenceCountAsync(Slug));
    }

    [Fact]
    public async Task ActivePaymentLink_HoldsWithItsUrl()
    {
        var link = StripeEvents.Fixture("payment_link");
        Serve("/v1/payment_links", List("/v1/payment_links", link));

        var result = await hub.RunCheckAsync(Slug, "stripe.payment-link");

        Assert.Equal(CheckStates.Holds, result!.State);
        Assert.Equal("true", hub.Requests(hub.Stripe).Single().RequestMessage.Query!["active"].Single());
        Assert.Equal(link["url"]!.GetValue<string>(), Assert.Single((await hub.MicromasteryAsync(Slug)).Evidence).Url);
    }

    [Fact]
    public async Task PaymentLink_IsObservedAtTheHubsClockTime()
    {
        Serve("/v1/payment_links", List("/v1/payment_links", StripeEvents.Fixture("payment_link")));
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var check = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Micromastery.Hub.Stripe.StripePaymentLinkCheck>(hub.Hub.Services, clock);
        var micromastery = hub.Service<Micromastery.Hub.Stack.StackStore>().Current.Find(Slug)!;

        var observations = await check.PollAsync(micromastery, micromastery.Checks.Single(c => c.Type == "stripe.payment-link"), CancellationToken.None);

        Assert.Equal(clock.GetUtcNow(), Assert.Single(observations).ObservedAt);
    }

    [Fact]
    public async Task ServerError_IsRetriedOnceThenUnknown()
    {
        Serve("/v1/payment_links", """{"error":{"type":"api_error","message":"Something went wrong."}}""", 500);

        var result = await hub.RunCheckAsync(Slug, "stripe.payment-link");

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(2, hub.Requests(hub.Stripe).Count());
    }

    [Fact]
    public async Task Timeout_IsUnknown()
    {
        await hub.ResetServicesAsync(Stack, ServiceStandIns.ShortAttempts);
        hub.Stripe.Given(Request.Create().WithPath("/v1/payment_intents").UsingGet())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(4)).WithStatusCode(200).WithBody(List("/v1/payment_intents", SucceededIntent("pi_slow"))));

        var result = await hub.RunCheckAsync(Slug, "stripe.test-payment");

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(0, await hub.EvidenceCountAsync(Slug));
    }

    [Fact]
    public async Task MissingApiKey_TestPayment_WaitsForAWebhook_WhileThePaymentLinkCheckCannotWorkAtAll()
    {
        hub.SetSetting<StripeOptions>("Stripe:ApiKey", null);
        try
        {
            var payment = await hub.RunCheckAsync(Slug, "stripe.test-payment");
            var link = await hub.RunCheckAsync(Slug, "stripe.payment-link");

            Assert.Equal(CheckStates.Waiting, payment!.State);
            Assert.Equal("polling needs Stripe:ApiKey; a webhook needs none", payment.Message);
            Assert.Equal(CheckStates.NotConfigured, link!.State);
        }
        finally
        {
            hub.SetSetting<StripeOptions>("Stripe:ApiKey", "sk_test_hub_0123456789");
        }
    }

    [Fact]
    public async Task RejectedApiKey_IsNotConfigured_EvenForACheckAWebhookCouldProve()
    {
        Serve("/v1/payment_intents", """{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_***"}}""", 401);

        var result = await hub.RunCheckAsync(Slug, "stripe.test-payment");

        Assert.Equal(CheckStates.NotConfigured, result!.State);
    }

    [Fact]
    public async Task MissingApiKey_IsNotConfigured()
    {
        hub.SetSetting<StripeOptions>("Stripe:ApiKey", null);
        try
        {
            var result = await hub.RunCheckAsync(Slug, "stripe.payment-link");

            Assert.Equal(CheckStates.NotConfigured, result!.State);
            Assert.Contains("Stripe:ApiKey", result.Message);
        }
        finally
        {
            hub.SetSetting<StripeOptions>("Stripe:ApiKey", "sk_test_hub_0123456789");
        }
    }
}
