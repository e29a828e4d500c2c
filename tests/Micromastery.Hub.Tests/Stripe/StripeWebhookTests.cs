using System.Net;
using System.Net.Http.Json;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Stripe;

/// <summary>
/// What only POST /webhooks/stripe does (timestamp tolerance, rolled secrets, API versions, mapping events to
/// payments), against both storage providers. The rules all receivers share are in <see cref="Webhooks.ReceiverRuleTests"/>.
/// </summary>
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
    public async Task StaleTimestamp_Is400AndNothingStored()
    {
        var body = StripeEvents.PaymentIntentSucceeded();

        var response = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret, DateTimeOffset.UtcNow.AddSeconds(-301)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tolerance", await response.Content.ReadAsStringAsync());
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

    [Fact]
    public async Task PaidCheckoutSession_Verifies()
    {
        var body = StripeEvents.CheckoutSessionCompleted("paid", paymentLink: "plink_1Pgc78B7WZ01zgkWC75kX0jg");

        await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        await hub.Client.VerifiedAsync(Slug);
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
[Trait(Needs.Key, Needs.Host)]
public sealed class StripeWebhookTests_Sqlite(SqliteHub hub) : StripeWebhookTests(hub);

[Collection(PostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class StripeWebhookTests_Postgres(PostgresHub hub) : StripeWebhookTests(hub);
