using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;

namespace Micromastery.Hub.Tests.Stack;

public sealed class StackFileParserTests
{
    // Parsing reads check types' parameters only; the Stripe API client is never called here.
    private readonly StackFileParser _parser = new(new CheckTypeRegistry([new ManualCheckType(), new StripeTestPaymentCheck(api: null!)]));

    [Fact]
    public void StarterStack_IsValidAndEmpty_SoTheCatalogStartsTheFirstOne()
    {
        var result = _parser.Parse(StarterStack.Text(new DateOnly(2026, 11, 23)));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Stack!.Micromasteries);
    }

    [Fact]
    public void StapleAndCustomEntries_AreResolved()
    {
        var result = _parser.Parse("""
            timeZone: Europe/Istanbul
            micromasteries:
              - staple: stripe-payment-link
                started: 2026-11-01
                checks:
                  - type: stripe.test-payment
                    id: big-payment
                    minAmount: 5000
                    currency: usd
              - slug: perfect-omelette
                name: A perfect omelette
                layer: physical
                started: 2026-11-20
                timeZone: America/New_York
                checks:
                  - type: manual
                    describe: three folds, no browning
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var stripe = result.Stack!.Find("stripe-payment-link")!;
        Assert.Equal("Europe/Istanbul", stripe.TimeZone.Id);
        Assert.NotNull(stripe.Anatomy);
        var check = Assert.Single(stripe.Checks);
        Assert.Equal("big-payment", check.Id);
        Assert.Equal("5000", check.Get("minAmount"));
        var omelette = result.Stack.Find("perfect-omelette")!;
        Assert.Equal(Layer.Physical, omelette.Layer);
        Assert.Equal("America/New_York", omelette.TimeZone.Id);
        Assert.Null(omelette.StapleId);
    }

    [Fact]
    public void StapleWithoutChecks_UsesItsParameterlessSuggestions()
    {
        var result = _parser.Parse("""
            micromasteries:
              - staple: stripe-payment-link
                started: 2026-11-01
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(StripeTestPaymentCheck.Name, Assert.Single(result.Stack!.Micromasteries[0].Checks).Type);
    }

    [Theory]
    [InlineData("micromasteries:\n  - staple: stripe-payment-lnk\n    started: 2026-11-01\n", 2, 13, "unknown staple 'stripe-payment-lnk'")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 23.11.2026\n", 3, 14, "'started' must be a date like 2026-11-23")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n", 2, 5, "'started' is required")]
    [InlineData("timeZone: Mars/Olympus\n", 1, 11, "unknown time zone 'Mars/Olympus'")]
    [InlineData("micromasterys: []\n", 1, 1, "unknown key 'micromasterys'")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n    checks:\n      - type: stripe.webhook\n", 5, 15, "unknown check type 'stripe.webhook'")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n    checks:\n      - type: stripe.test-payment\n        amount: 5\n", 6, 9, "'stripe.test-payment' has no parameter 'amount'")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n    checks:\n      - type: stripe.test-payment\n        minAmount: five\n", 6, 20, "parameter 'minAmount'")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n    checks:\n      - type: stripe.test-payment\n        schedule: every hour\n", 6, 19, "'schedule' must be a cron expression")]
    [InlineData("micromasteries:\n  - slug: omelette\n    started: 2026-11-01\n    checks:\n      - type: manual\n", 2, 5, "needs a 'name'")]
    [InlineData("micromasteries:\n  - slug: Omelette!\n    name: x\n    layer: physical\n    started: 2026-11-01\n    checks:\n      - type: manual\n", 2, 11, "lower-case letters")]
    [InlineData("micromasteries:\n  - slug: omelette\n    name: x\n    layer: F\n    started: 2026-11-01\n    checks:\n      - type: manual\n", 4, 12, "unknown layer 'F'")]
    [InlineData("micromasteries:\n  - slug: omelette\n    name: x\n    layer: physical\n    started: 2026-11-01\n", 2, 5, "'checks' is required")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n  - staple: stripe-payment-link\n    started: 2026-11-02\n", 4, 1, "slug 'stripe-payment-link' is used more than once")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n   started: 2026-11-01\n", 3, 4, "did not find expected '-' indicator")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n    reconfirm: weekly\n", 4, 16, "'reconfirm' must be a cron expression")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n    since: last year\n", 4, 12, "'since' must be a date like 2025-01-01")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n    since: 2026-11-02\n", 4, 12, "'since' (2026-11-02) is after 'started'")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n    since: 1999-12-31\n", 4, 12, "from the year 2000 or later")]
    public void InvalidFile_IsRejectedWithTheLineAndColumnOfTheProblem(string yaml, int line, int column, string message)
    {
        var result = _parser.Parse(yaml);

        Assert.False(result.IsValid);
        Assert.Null(result.Stack);
        Assert.Contains(result.Errors, e => e.Line == line && e.Column == column && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void SeveralProblems_AreAllReportedInLineOrder()
    {
        var result = _parser.Parse("""
            micromasteries:
              - staple: nope
                started: 2026-11-01
              - slug: omelette
                name: Omelette
                layer: physical
                started: yesterday
                checks:
                  - type: manual
            """);

        Assert.Equal([2, 7], result.Errors.Select(e => e.Line));
    }

    [Fact]
    public void EmptyFile_IsAnEmptyStack()
    {
        var result = _parser.Parse("");

        Assert.True(result.IsValid);
        Assert.Empty(result.Stack!.Micromasteries);
    }

    [Fact]
    public void ErrorText_NamesLineAndColumn()
    {
        var error = Assert.Single(_parser.Parse("timeZone: Nowhere/Land\n").Errors);

        Assert.Equal("1:11: unknown time zone 'Nowhere/Land'; use an IANA name such as Europe/Istanbul or America/New_York", error.ToString());
    }

    [Fact]
    public void Since_OpensThePracticeWindowEarlier_AtMidnightInTheEntrysTimeZone()
    {
        var result = _parser.Parse("""
            timeZone: Europe/Istanbul
            micromasteries:
              - staple: stripe-payment-link
                started: 2026-11-30
                since: 2025-01-01
              - staple: stripe-payment-link
                slug: no-opt-in
                started: 2026-11-30
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var (optIn, plain) = (result.Stack!.Micromasteries[0], result.Stack.Micromasteries[1]);
        Assert.Equal(new DateOnly(2025, 1, 1), optIn.Since);
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 21, 0, 0, TimeSpan.Zero), optIn.WindowStart);
        Assert.Null(plain.Since);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero), plain.WindowStart);
        Assert.True(plain.IsPrior(new DateTimeOffset(2026, 11, 29, 20, 59, 59, TimeSpan.Zero)));
        Assert.False(plain.IsPrior(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero)));
    }
}
