using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Stripe;

/// <summary>
/// What only the Stripe receiver does (timestamp tolerance, rolled secrets, API versions, mapping events to payments),
/// against both storage providers, on the hub's services without a host: each delivery goes through the receiver's
/// opening rules and the inbox's group commit (<see cref="WebhookInbox"/>). The rules all receivers share, over HTTP,
/// are in <see cref="Webhooks.ReceiverRuleTests"/>.
/// </summary>
public abstract class StripeWebhookTests(StoreFixture store) : IAsyncLifetime
{
    private const string Slug = "stripe-payment-link";

    private HubServices _hub = null!;
    private WebhookInbox _inbox = null!;

    public async Task InitializeAsync()
    {
        _hub = await store.CreateAsync();
        _inbox = await WebhookInbox.StartAsync(_hub);
    }

    public async Task DisposeAsync() => await _inbox.DisposeAsync();

    private Task<WebhookReceipt> PostAsync(string body, string signature) => _inbox.ReceiveAsync("stripe", body, ("Stripe-Signature", signature));

    private Task<MicromasteryReport> VerifiedAsync() => _hub.MicromasteryAsync(Slug, m => m.Payoff == PayoffStates.Verified, $"{Slug} to be verified");

    private async Task<long> StoredCountAsync()
    {
        await using var connection = await _hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE provider = 'stripe'");
    }

    [Fact]
    public async Task ValidTestPayment_IsStoredAndVerifiesThePayoffWithEvidence()
    {
        var paymentIntent = StripeEvents.NewId("pi_");
        var body = StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent);

        var receipt = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        Assert.Equal(200, receipt.Status);
        Assert.Equal(InboxWriteResult.Stored, receipt.Written); // answered "stored"
        var verified = await VerifiedAsync();
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

        Assert.Equal(2, await ProcessedCountAsync());
        var m = await _hub.MicromasteryAsync(Slug);
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
        var receipt = await PostAsync(body, $"{old},{current[(current.IndexOf(',') + 1)..]},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39");

        Assert.Equal(200, receipt.Status);
        Assert.Equal(1, await StoredCountAsync());
    }

    [Fact]
    public async Task StaleTimestamp_Is400AndNothingStored()
    {
        var body = StripeEvents.PaymentIntentSucceeded();

        var receipt = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret, DateTimeOffset.UtcNow.AddSeconds(-301)));

        Assert.Equal(400, receipt.Status);
        Assert.Contains("tolerance", receipt.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task EventFromAnOlderApiVersion_IsAccepted()
    {
        var body = StripeEvents.PaymentIntentSucceeded().Replace(StripeEvents.ApiVersion, "2023-10-16", StringComparison.Ordinal);

        var receipt = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        Assert.Equal(200, receipt.Status);
        await VerifiedAsync();
    }

    [Fact]
    public async Task UnknownEventType_IsStoredAndMarkedIgnored()
    {
        var body = StripeEvents.Envelope("customer.created", new System.Text.Json.Nodes.JsonObject { ["id"] = "cus_123", ["object"] = "customer", ["livemode"] = false });

        var receipt = await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        Assert.Equal(200, receipt.Status);
        Assert.Equal((int)InboxState.Ignored, await StateOfOnlyEventAsync());
        Assert.Equal(PayoffStates.Pending, (await _hub.MicromasteryAsync(Slug)).Payoff);
    }

    [Fact]
    public async Task PaidCheckoutSession_Verifies()
    {
        var body = StripeEvents.CheckoutSessionCompleted("paid", paymentLink: "plink_1Pgc78B7WZ01zgkWC75kX0jg");

        await PostAsync(body, StripeEvents.Sign(body, HubFactory.StripeSecret));

        await VerifiedAsync();
    }

    [Fact]
    public async Task FirstVerificationTime_IsKeptWhenMorePaymentsArrive()
    {
        var first = StripeEvents.PaymentIntentSucceeded();
        await PostAsync(first, StripeEvents.Sign(first, HubFactory.StripeSecret));
        var verifiedAt = (await VerifiedAsync()).VerifiedAt;

        var second = StripeEvents.PaymentIntentSucceeded();
        await PostAsync(second, StripeEvents.Sign(second, HubFactory.StripeSecret));
        var after = await _hub.MicromasteryAsync(Slug, m => m.Evidence.Count == 2, "second evidence");

        Assert.Equal(verifiedAt, after.VerifiedAt);
    }

    private async Task<long> ProcessedCountAsync()
    {
        await using var connection = await _hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE state <> 0");
    }

    private async Task<int> StateOfOnlyEventAsync()
    {
        await using var connection = await _hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT state FROM inbox_events");
    }
}

public sealed class StripeWebhookTests_Sqlite(SqliteStore store) : StripeWebhookTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class StripeWebhookTests_Postgres(PostgresStore store) : StripeWebhookTests(store), IClassFixture<PostgresStore>;
