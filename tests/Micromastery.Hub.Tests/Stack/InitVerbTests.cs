using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;

namespace Micromastery.Hub.Tests.Stack;

public sealed class InitVerbTests
{
    [Fact]
    public void StackWrittenByInit_IsValidOnceItsTodosAreFilled()
    {
        var registry = new CheckTypeRegistry([new ManualCheckType(), new StripeTestPaymentCheck(api: null!)]);
        var staples = new[] { "stripe-payment-link", "perfect-omelette", "github-actions-cron" }.Select(id => Catalog.Find(id)!);

        var text = InitVerb.Text(staples, registry, new DateOnly(2026, 11, 23));
        var result = new StackFileParser(registry).Parse(text);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(3, result.Stack!.Micromasteries.Count);
        // A staple whose checks this hub cannot run falls back to manual evidence.
        Assert.Equal(CheckTypes.Manual, Assert.Single(result.Stack.Find("github-actions-cron")!.Checks).Type);
    }
}
