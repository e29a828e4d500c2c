using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stripe;
using Micromastery.Hub.Webhooks;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Only evidence from the practice window verifies a payoff: a payment created before the micromastery
/// started is kept and shown as prior evidence, unless the stack entry opts in with <c>since</c>.
/// </summary>
public abstract class PracticeWindowTests(StoreFixture store)
{
    private const string Slug = "stripe-payment-link";

    private static string Stack(string zone = "UTC", string? since = null) => $"""
        timeZone: {zone}
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
        {(since is null ? "" : $"    since: {since}\n")}    checks:
              - type: stripe.test-payment
        """;

    private HubServices hub = null!;

    private async Task ResetAsync(string stack) => hub = await store.CreateAsync(stack);

    /// <summary>A Stripe payment_intent.succeeded event, mapped by the Stripe webhook source and recorded as the inbox records it.</summary>
    private async Task<MicromasteryReport> PayAsync(DateTimeOffset created)
    {
        var body = StripeEvents.PaymentIntentSucceeded(created: created);
        var outcome = hub.Service<StripeWebhookSource>().Map(new StoredEvent(1, "stripe", "evt_practice_window", "payment_intent.succeeded", body, DateTimeOffset.UtcNow));
        await hub.RecordAsync(outcome.Observations);
        var m = await hub.MicromasteryAsync(Slug);
        Assert.Single(m.Evidence);
        return m;
    }

    [Fact]
    public async Task PaymentCreatedBeforeTheStart_IsPriorEvidence_AndDoesNotVerify()
    {
        await ResetAsync(Stack());

        var m = await PayAsync(new DateTimeOffset(2025, 11, 29, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(PayoffStates.Pending, m.Payoff);
        Assert.Null(m.VerifiedAt);
        var evidence = Assert.Single(m.Evidence);
        Assert.True(evidence.Prior);
        Assert.Equal(new DateTimeOffset(2025, 11, 29, 12, 0, 0, TimeSpan.Zero), evidence.ObservedAt);
        Assert.NotEqual(CheckStates.Holds, Assert.Single(m.Checks).State);
        Assert.Empty(m.Repeatability!.Contexts);
    }

    [Fact]
    public async Task PaymentCreatedAfterTheStart_Verifies()
    {
        await ResetAsync(Stack());

        var m = await PayAsync(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.False(Assert.Single(m.Evidence).Prior);
    }

    [Fact]
    public async Task SinceOptIn_CountsEarlierEvidence()
    {
        await ResetAsync(Stack(since: "2025-01-01"));

        var m = await PayAsync(new DateTimeOffset(2025, 11, 29, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.False(Assert.Single(m.Evidence).Prior);
    }

    [Fact]
    public async Task OptingInLater_VerifiesWithTheEvidenceAlreadyStored()
    {
        await ResetAsync(Stack());
        await PayAsync(new DateTimeOffset(2025, 11, 29, 12, 0, 0, TimeSpan.Zero));

        hub.LoadStack(Stack(since: "2025-01-01"));
        await hub.Service<PayoffLedger>().ReevaluateAsync(CancellationToken.None);

        Assert.Equal(PayoffStates.Verified, (await hub.MicromasteryAsync(Slug)).Payoff);
    }

    [Theory]
    [InlineData("2026-11-19T21:30:00Z", false)] // 00:30 on the 20th in Istanbul (UTC+3): inside the practice
    [InlineData("2026-11-19T20:30:00Z", true)] // 23:30 on the 19th in Istanbul: before the practice
    public async Task DayBoundary_IsMidnightInTheStacksTimeZone(string created, bool prior)
    {
        await ResetAsync(Stack(zone: "Europe/Istanbul"));

        var m = await PayAsync(DateTimeOffset.Parse(created, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(prior, Assert.Single(m.Evidence).Prior);
        Assert.Equal(prior ? PayoffStates.Pending : PayoffStates.Verified, m.Payoff);
    }
}

public sealed class PracticeWindowTests_Sqlite(SqliteStore store) : PracticeWindowTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class PracticeWindowTests_Postgres(PostgresStore store) : PracticeWindowTests(store), IClassFixture<PostgresStore>;
