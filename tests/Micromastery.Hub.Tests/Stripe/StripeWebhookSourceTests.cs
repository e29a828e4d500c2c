using System.Text.Json.Nodes;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace Micromastery.Hub.Tests.Stripe;

/// <summary>Stripe's verification and mapping, called directly on events built from Stripe's fixture objects.</summary>
public sealed class StripeWebhookSourceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Every fixture object under every event type the source knows, and one it does not.</summary>
    public static TheoryData<string, string> FixtureUnderEventType
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var fixture in new[] { "payment_intent", "charge", "checkout_session", "payment_link", "event" })
            {
                foreach (var type in new[] { "payment_intent.succeeded", "charge.succeeded", "checkout.session.completed", "checkout.session.async_payment_succeeded", "customer.created" })
                {
                    data.Add(fixture, type);
                }
            }

            return data;
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(299, true)]
    [InlineData(301, false)]
    [InlineData(3600, false)]
    public void Verify_SignatureOlderThanTheTolerance_IsRefused(int ageSeconds, bool accepted)
    {
        var source = TestWebhookSources.Stripe(clock: new FakeTimeProvider(Now));
        var delivery = WebhookDelivery.Realistic("stripe") with { SignedAt = Now.AddSeconds(-ageSeconds) };

        var check = delivery.CheckedBy(source);

        Assert.Equal(accepted, check is WebhookCheck.Accepted);
    }

    [Fact]
    public void Verify_ValidEvent_IsAcceptedUnderItsIdAndType()
    {
        var body = StripeEvents.PaymentIntentSucceeded(eventId: "evt_3Qverify");

        var check = new WebhookDelivery("stripe", body).CheckedBy(TestWebhookSources.Stripe());

        Assert.Equal(new WebhookCheck.Accepted("evt_3Qverify", "payment_intent.succeeded"), check);
    }

    [Fact]
    public void Map_SucceededPaymentIntent_IsOneTestPaymentUnderItsId()
    {
        var outcome = Map(StripeEvents.PaymentIntentSucceeded(paymentIntentId: "pi_3Qmapped", amount: 2500));

        var observation = Assert.Single(outcome.Observations);
        Assert.Null(outcome.IgnoredBecause);
        Assert.Equal(StripeTestPaymentCheck.Name, observation.Kind);
        Assert.Equal("pi_3Qmapped", observation.ExternalId);
        Assert.Equal("2500", observation.Fact("amount"));
        Assert.Equal("https://dashboard.stripe.com/test/payments/pi_3Qmapped", observation.Url);
    }

    [Fact]
    public void Map_PaymentFromLastYearInAnEventFromToday_IsDatedByThePayment()
    {
        var created = new DateTimeOffset(2025, 11, 29, 12, 0, 0, TimeSpan.Zero);

        var observation = Assert.Single(Map(StripeEvents.PaymentIntentSucceeded(created: created)).Observations);

        Assert.Equal(created, observation.ObservedAt);
    }

    [Theory]
    [InlineData(100, "gone", "fully refunded")]
    [InlineData(40, "changed", "partially refunded: 40 of 100")]
    public void Map_ChargeRefunded_RevokesOrChangesThePaymentIntent(long refunded, string state, string detail)
    {
        var outcome = Map(StripeEvents.ChargeRefunded("pi_3Qrefunded", refunded));

        Assert.Empty(outcome.Observations);
        var recheck = Assert.Single(outcome.Rechecks!);
        Assert.Equal(("pi_3Qrefunded", state), (recheck.ExternalId, recheck.State));
        Assert.StartsWith(detail, recheck.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_PaymentIntentCanceled_IsGone()
    {
        var recheck = Assert.Single(Map(StripeEvents.PaymentIntentCanceled("pi_3Qcanceled")).Rechecks!);

        Assert.Equal(("pi_3Qcanceled", Hub.Payoffs.RecheckStates.Gone), (recheck.ExternalId, recheck.State));
    }

    [Fact]
    public void Map_CapturedCharge_IsTheSameObservationAsItsPaymentIntent()
    {
        var fromCharge = Assert.Single(Map(StripeEvents.ChargeSucceeded("pi_3Qsame")).Observations);

        Assert.Equal("pi_3Qsame", fromCharge.ExternalId);
        Assert.Equal(StripeTestPaymentCheck.Name, fromCharge.Kind);
    }

    [Fact]
    public void Map_PaidCheckoutSession_CarriesItsPaymentLink()
    {
        var observation = Assert.Single(Map(StripeEvents.CheckoutSessionCompleted(paymentIntentId: "pi_3Qlink", paymentLink: "plink_3Qabc")).Observations);

        Assert.Equal("pi_3Qlink", observation.ExternalId);
        Assert.Equal("plink_3Qabc", observation.Fact("paymentLink"));
        Assert.Equal("1900", observation.Fact("amount"));
        Assert.Equal("usd", observation.Fact("currency"));
    }

    [Theory]
    [InlineData("minAmount=1900", true)]
    [InlineData("minAmount=1901", false)]
    [InlineData("currency=usd", true)]
    [InlineData("currency=eur", false)]
    public void PaidCheckoutSession_MeetsTheAmountAndCurrencyFilters_ByItsTotal(string filter, bool expected)
    {
        var observation = Assert.Single(Map(StripeEvents.CheckoutSessionCompleted(paymentIntentId: "pi_3Qlink", paymentLink: "plink_3Qabc")).Observations);
        var check = new StripeTestPaymentCheck(api: null!);

        var satisfied = check.Satisfies(Checks.Spec(Micromastery.Hub.Stripe.StripeTestPaymentCheck.Name, filter), observation);

        Assert.Equal(expected, satisfied);
    }

    [Theory]
    [InlineData("live-mode event")]
    [InlineData("uncaptured charge")]
    [InlineData("unpaid checkout session")]
    [InlineData("checkout session needing no payment")]
    [InlineData("payment intent still processing")]
    [InlineData("live data object")]
    [InlineData("event type proving nothing")]
    public void Map_EventThatProvesNoTestPayment_IsIgnoredWithAReason(string kind)
    {
        var body = kind switch
        {
            "live-mode event" => StripeEvents.PaymentIntentSucceeded(livemode: true),
            "uncaptured charge" => StripeEvents.ChargeSucceeded("pi_3Qx", captured: false),
            "unpaid checkout session" => StripeEvents.CheckoutSessionCompleted(paymentStatus: "unpaid"),
            "checkout session needing no payment" => StripeEvents.CheckoutSessionCompleted(paymentStatus: "no_payment_required"),
            "payment intent still processing" => With(StripeEvents.PaymentIntentSucceeded(), o => o["status"] = "processing"),
            "live data object" => With(StripeEvents.PaymentIntentSucceeded(), o => o["livemode"] = true),
            "event type proving nothing" => StripeEvents.Envelope("customer.created", StripeEvents.Fixture("payment_intent")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such case"),
        };

        var outcome = Map(body);

        Assert.Empty(outcome.Observations);
        Assert.False(string.IsNullOrEmpty(outcome.IgnoredBecause));
        Assert.Empty(outcome.PollNow);
    }

    [Theory]
    [MemberData(nameof(FixtureUnderEventType))]
    public void Map_AnyFixtureUnderAnyType_GivesAtMostOneUsableObservationOrAReason(string fixture, string type)
    {
        var body = StripeEvents.Envelope(type, StripeEvents.Fixture(fixture));

        var outcome = Map(body);

        Assert.True(outcome.Observations.Count <= 1);
        Assert.True(outcome.Observations.Count == 1 ^ outcome.IgnoredBecause is not null);
        Assert.All(outcome.Observations, o => Assert.Null(o.Problem()));
    }

    private static InboxOutcome Map(string body)
    {
        var json = JsonNode.Parse(body)!;
        var stored = new StoredEvent(1, StripeWebhookSource.Name, json["id"]!.GetValue<string>(), json["type"]!.GetValue<string>(), body, Now);
        return TestWebhookSources.Stripe().Map(stored);
    }

    private static string With(string body, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        change(json["data"]!["object"]!.AsObject());
        return json.ToJsonString();
    }
}
