using Micromastery.Hub.Email;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Webhooks that revoke evidence: a verified payoff whose every supporting payment is refunded becomes
/// disputed (its first verification time kept, never reset to pending), and the weekly email lists it. The events are
/// mapped and recorded as the inbox does (no host); the receivers' HTTP side is in the webhook tests.
/// </summary>
public abstract class RevocationTests(StoreFixture store) : IAsyncLifetime
{
    private const string Slug = "stripe-payment-link";

    private HubServices hub = null!;

    public async Task InitializeAsync() => hub = await store.CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task PostAsync(string body) =>
        await hub.ApplyWebhookAsync("stripe", System.Text.Json.Nodes.JsonNode.Parse(body)!["type"]!.GetValue<string>(), body);

    private async Task<(string Payment, DateTimeOffset VerifiedAt)> PaidAsync()
    {
        var payment = StripeEvents.NewId("pi_");
        await PostAsync(StripeEvents.PaymentIntentSucceeded(paymentIntentId: payment, amount: 100));
        return (payment, (await hub.MicromasteryAsync(Slug, r => r.Payoff == PayoffStates.Verified, "the payoff verified")).VerifiedAt!.Value);
    }

    [Fact]
    public async Task FullRefund_DisputesTheVerifiedPayoff_KeepingItsFirstVerificationTime()
    {
        var (payment, verifiedAt) = await PaidAsync();

        await PostAsync(StripeEvents.ChargeRefunded(payment, amountRefunded: 100));

        var m = await hub.MicromasteryAsync(Slug, r => r.Disputed, "the payoff disputed");
        Assert.Equal(PayoffStates.Disputed, m.Payoff);
        Assert.Equal(verifiedAt, m.VerifiedAt);
        var evidence = Assert.Single(m.Evidence);
        Assert.Equal(RecheckStates.Gone, evidence.Recheck);
        Assert.StartsWith("fully refunded", evidence.RecheckDetail, StringComparison.Ordinal);
        Assert.Null(evidence.LastConfirmedAt);
    }

    [Fact]
    public async Task PartialRefund_ChangesTheEvidence_AndThePayoffStaysVerified()
    {
        var (payment, _) = await PaidAsync();

        await PostAsync(StripeEvents.ChargeRefunded(payment, amountRefunded: 40));

        var m = await hub.MicromasteryAsync(Slug, r => r.Evidence.Single().Recheck is not null, "the refund recorded");
        Assert.Equal(RecheckStates.Changed, m.Evidence.Single().Recheck);
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.False(m.Disputed);
    }

    [Fact]
    public async Task OneOfTwoPaymentsRefunded_IsNotDisputed()
    {
        var (first, _) = await PaidAsync();
        await PostAsync(StripeEvents.PaymentIntentSucceeded(amount: 100));

        await PostAsync(StripeEvents.PaymentIntentCanceled(first));

        var m = await hub.MicromasteryAsync(Slug, r => r.Evidence.Any(e => e.Recheck == RecheckStates.Gone), "the cancellation recorded");
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.False(m.Disputed);
    }

    [Fact]
    public async Task RefundOfAPaymentNeverSeen_ChangesNothing()
    {
        await PostAsync(StripeEvents.ChargeRefunded(StripeEvents.NewId("pi_"), amountRefunded: 100));

        var m = await hub.MicromasteryAsync(Slug);

        Assert.Empty(m.Evidence);
        Assert.Equal(PayoffStates.Pending, m.Payoff);
    }

    [Fact]
    public async Task WeeklyEmail_ListsTheDisputedPayoff_AndDoesNotCountItAsVerified()
    {
        var (payment, _) = await PaidAsync();
        await PostAsync(StripeEvents.ChargeRefunded(payment, amountRefunded: 100));
        await hub.MicromasteryAsync(Slug, r => r.Disputed, "the payoff disputed");

        var email = await hub.Service<WeeklyEmailRenderer>().RenderAsync(null, CancellationToken.None);

        Assert.Contains("DISPUTED", email.Text, StringComparison.Ordinal);
        Assert.Contains($"{payment}: fully refunded", email.Text, StringComparison.Ordinal);
        Assert.Contains("Disputed: the source no longer shows the proof", email.Html, StringComparison.Ordinal);
        Assert.Contains("0 in total", email.Subject, StringComparison.Ordinal);
    }
}

public sealed class RevocationTests_Sqlite(SqliteStore store) : RevocationTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class RevocationTests_Postgres(PostgresStore store) : RevocationTests(store), IClassFixture<PostgresStore>;
