using System.Net;
using System.Net.Http.Json;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Stripe;

/// <summary>Every rule of POST /webhooks/stripe, run against both storage providers.</summary>
public abstract class StripeWebhookTests(HubFixture hub) : IAsyncLifetime
{
    private const string Slug = "stripe-payment-link";

    public Task InitializeAsync() => hub.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> PostAsync(string body, string? signature) =>
        signature is null
            ? hub.Client.PostWebhookAsync("stripe", body)
            : hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", signature));

    private async Task<long> StoredCountAsync()
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE provider = 'stripe'");
    }

    [Fact]
    public async Task ValidTestPayment_IsStoredAndVerifiesThePayoffWithEvidence()
    {
        var paymentIntent = StripeEvents.NewId("pi_");
        var body = StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent);

        var response = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stored", (await response.Content.ReadFromJsonAsync<Ack>())!.Status);
        var verified = await hub.Client.VerifiedAsync(Slug);
        var evidence = Assert.Single(verified.Evidence);
        Assert.Equal("stripe", evidence.Source);
        Assert.Equal(paymentIntent, evidence.ExternalId);
        Assert.Equal($"https://dashboard.stripe.com/test/payments/{paymentIntent}", evidence.Url);
        Assert.NotNull(verified.VerifiedAt);
    }

    [Fact]
    public async Task Redelivery_IsAcknowledgedAndStoredOnce()
    {
        var body = StripeEvents.PaymentIntentSucceeded();

        var first = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));
        var second = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("duplicate", (await second.Content.ReadFromJsonAsync<Ack>())!.Status);
        Assert.Equal(1, await StoredCountAsync());
    }

    [Fact]
    public async Task ConcurrentRedeliveries_AreStoredOnce()
    {
        var body = StripeEvents.PaymentIntentSucceeded();
        var signature = StripeEvents.Sign(body, HubFactory.StripeSecret);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(body, signature)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var statuses = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<Ack>())!.Status));
        Assert.Equal(1, statuses.Count(s => s == "stored"));
        Assert.Equal(1, await StoredCountAsync());
    }

    [Fact]
    public async Task SamePaymentReportedByTwoEvents_IsOneEvidence()
    {
        var paymentIntent = StripeEvents.NewId("pi_");
        var intentEvent = StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent);
        var chargeEvent = StripeEvents.ChargeSucceeded(paymentIntent);

        await PostAsync(intentEvent, StripeEvents.Sign(intentEvent, HubFactory.StripeSecret));
        await PostAsync(chargeEvent, StripeEvents.Sign(chargeEvent, HubFactory.StripeSecret));
        await Eventually.ReturnsAsync(ProcessedCountAsync, n => n == 2, "both events processed");

        var m = await hub.Client.MicromasteryAsync(Slug);
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.Single(m.Evidence);
    }

    [Theory]
    [InlineData("t=1700000000,v1=8042376f6ca064adbe037642a718227dfd59047137eb49497a54c49eb0cfb724")]
    [InlineData("v1=deadbeef")]
    [InlineData("garbage")]
    public async Task BadSignature_Is400AndNothingStored(string signature)
    {
        var body = StripeEvents.PaymentIntentSucceeded();

        var response = await PostAsync(body, signature);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task SignatureWithAnotherSecret_Is400AndNothingStored()
    {
        var body = StripeEvents.PaymentIntentSucceeded();

        var response = await PostAsync(body, StripeEvents.Sign(body, "whsec_someone_else"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task SecretBeingRolled_AnyMatchingV1SignatureIsAccepted()
    {
        var body = StripeEvents.PaymentIntentSucceeded();
        var old = StripeEvents.Sign(body, "whsec_the_old_secret");
        var current = StripeEvents.Sign(body, HubFactory.StripeSecret);

        // Stripe signs with every active secret while one is rolled, plus a fake v0 in test mode.
        var response = await PostAsync(body, $"{old},{current[(current.IndexOf(',') + 1)..]},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await StoredCountAsync());
    }

    [Fact]
    public async Task MissingSignature_Is400AndNothingStored()
    {
        var response = await PostAsync(StripeEvents.PaymentIntentSucceeded(), signature: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Stripe-Signature", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task StaleTimestamp_Is400AndNothingStored()
    {
        var body = StripeEvents.PaymentIntentSucceeded();

        var response = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret, DateTimeOffset.UtcNow.AddSeconds(-301)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tolerance", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task BodyTamperedAfterSigning_Is400()
    {
        var body = StripeEvents.PaymentIntentSucceeded(amount: 100);
        var signature = StripeEvents.Sign(body, HubFactory.StripeSecret);

        var response = await PostAsync(body.Replace("\"amount\":100", "\"amount\":999", StringComparison.Ordinal), signature);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task OversizedBody_Is413AndNothingStored()
    {
        var body = "{\"id\":\"evt_big\",\"type\":\"charge.succeeded\",\"pad\":\"" + new string('x', WebhookEndpoints.MaxBodyBytes) + "\"}";

        var response = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await StoredCountAsync());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"object\":\"event\",\"type\":\"charge.succeeded\"}")]
    public async Task MalformedJsonUnderAValidSignature_Is400AndNothingStored(string body)
    {
        var response = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task EventFromAnOlderApiVersion_IsAccepted()
    {
        var body = StripeEvents.PaymentIntentSucceeded().Replace(StripeEvents.ApiVersion, "2023-10-16", StringComparison.Ordinal);

        var response = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await hub.Client.VerifiedAsync(Slug);
    }

    [Fact]
    public async Task UnknownEventType_IsStoredAndMarkedIgnored()
    {
        var body = StripeEvents.Envelope("customer.created", new System.Text.Json.Nodes.JsonObject { ["id"] = "cus_123", ["object"] = "customer", ["livemode"] = false });

        var response = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = await Eventually.ReturnsAsync(StateOfOnlyEventAsync, s => s != (int)InboxState.Received, "event processed");
        Assert.Equal((int)InboxState.Ignored, state);
        Assert.Equal(PayoffStates.Pending, (await hub.Client.MicromasteryAsync(Slug)).Payoff);
    }

    [Theory]
    [InlineData("unpaid")]
    [InlineData("no_payment_required")]
    public async Task UnpaidCheckoutSession_DoesNotVerify(string paymentStatus)
    {
        var body = StripeEvents.CheckoutSessionCompleted(paymentStatus);

        await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        var state = await Eventually.ReturnsAsync(StateOfOnlyEventAsync, s => s != (int)InboxState.Received, "event processed");
        Assert.Equal((int)InboxState.Ignored, state);
        Assert.Equal(PayoffStates.Pending, (await hub.Client.MicromasteryAsync(Slug)).Payoff);
    }

    [Fact]
    public async Task PaidCheckoutSession_Verifies()
    {
        var body = StripeEvents.CheckoutSessionCompleted("paid", paymentLink: "plink_1Pgc78B7WZ01zgkWC75kX0jg");

        await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        await hub.Client.VerifiedAsync(Slug);
    }

    [Fact]
    public async Task UncapturedCharge_DoesNotVerify()
    {
        var body = StripeEvents.ChargeSucceeded(StripeEvents.NewId("pi_"), captured: false);

        await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        await Eventually.ReturnsAsync(StateOfOnlyEventAsync, s => s == (int)InboxState.Ignored, "event ignored");
        Assert.Equal(PayoffStates.Pending, (await hub.Client.MicromasteryAsync(Slug)).Payoff);
    }

    [Fact]
    public async Task LiveModePayment_DoesNotVerifyTheTestPaymentCheck()
    {
        var body = StripeEvents.PaymentIntentSucceeded(livemode: true);

        await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        await Eventually.ReturnsAsync(StateOfOnlyEventAsync, s => s == (int)InboxState.Ignored, "event ignored");
        Assert.Equal(PayoffStates.Pending, (await hub.Client.MicromasteryAsync(Slug)).Payoff);
    }

    [Fact]
    public async Task FirstVerificationTime_IsKeptWhenMorePaymentsArrive()
    {
        var first = StripeEvents.PaymentIntentSucceeded();
        await PostAsync(first, StripeEvents.Sign(first, HubFactory.StripeSecret));
        var verifiedAt = (await hub.Client.VerifiedAsync(Slug)).VerifiedAt;

        var second = StripeEvents.PaymentIntentSucceeded();
        await PostAsync(second, StripeEvents.Sign(second, HubFactory.StripeSecret));
        var after = await Eventually.ReturnsAsync(() => hub.Client.MicromasteryAsync(Slug), m => m.Evidence.Count == 2, "second evidence");

        Assert.Equal(verifiedAt, after.VerifiedAt);
    }

    private async Task<long> ProcessedCountAsync()
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE state <> 0");
    }

    private async Task<int> StateOfOnlyEventAsync()
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT state FROM inbox_events");
    }

    private sealed record Ack(string Id, string Status);
}

[Collection(SqliteCollection.Name)]
public sealed class StripeWebhookTests_Sqlite(SqliteHub hub) : StripeWebhookTests(hub);

[Collection(PostgresCollection.Name)]
public sealed class StripeWebhookTests_Postgres(PostgresHub hub) : StripeWebhookTests(hub);
