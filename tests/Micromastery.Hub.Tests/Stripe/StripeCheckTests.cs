using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stripe;

/// <summary>Which observations satisfy the Stripe check types, evaluated directly.</summary>
public sealed class StripeCheckTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly StripeTestPaymentCheck TestPayment = new(api: null!);
    private static readonly StripePaymentLinkCheck PaymentLink = new(api: null!, TimeProvider.System);

    [Theory]
    [InlineData("", 1900, "usd", null, true)]
    [InlineData("minAmount=1900", 1900, "usd", null, true)]
    [InlineData("minAmount=1901", 1900, "usd", null, false)]
    [InlineData("minAmount=500", null, "usd", null, false)]
    [InlineData("currency=usd", 1900, "USD", null, true)]
    [InlineData("currency=eur", 1900, "usd", null, false)]
    [InlineData("currency=usd", 1900, null, null, false)]
    [InlineData("paymentLink=plink_3Qa", 1900, "usd", "plink_3Qa", true)]
    [InlineData("paymentLink=plink_3Qa", 1900, "usd", "plink_3Qb", false)]
    [InlineData("paymentLink=plink_3Qa", 1900, "usd", null, false)]
    public void TestPayment_Satisfies_FollowsItsParameters(string parameter, int? amount, string? currency, string? link, bool expected)
    {
        var check = Checks.Spec(StripeTestPaymentCheck.Name, parameter.Length == 0 ? [] : [parameter]);
        var payment = StripePayments.Observation("pi_3Qx", amount, currency, link, At, "evt_3Qx", "payment_intent.succeeded");

        Assert.Equal(expected, TestPayment.Satisfies(check, payment));
    }

    [Fact]
    public void TestPayment_Satisfies_NotByAnotherKindOfObservation()
    {
        var link = new Observation(StripePayments.Source, StripePaymentLinkCheck.Name, "plink_3Qa", At, null, new Dictionary<string, string?> { ["active"] = "true" });

        Assert.False(TestPayment.Satisfies(Checks.Spec(StripeTestPaymentCheck.Name), link));
    }

    [Theory]
    [InlineData("", "plink_3Qa", "true", true)]
    [InlineData("", "plink_3Qa", "false", false)]
    [InlineData("id=plink_3Qa", "plink_3Qa", "true", true)]
    [InlineData("id=plink_3Qa", "plink_3Qb", "true", false)]
    public void PaymentLink_Satisfies_AnActiveLinkWithTheGivenId(string parameter, string linkId, string active, bool expected)
    {
        var check = Checks.Spec(StripePaymentLinkCheck.Name, parameter.Length == 0 ? [] : [parameter]);
        var link = new Observation(StripePayments.Source, StripePaymentLinkCheck.Name, linkId, At, null, new Dictionary<string, string?> { ["active"] = active });

        Assert.Equal(expected, PaymentLink.Satisfies(check, link));
    }
}
