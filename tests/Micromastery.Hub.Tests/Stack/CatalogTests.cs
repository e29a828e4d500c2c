using Micromastery.Hub.Stripe;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Tests.Stack;

public sealed class CatalogTests
{
    [Fact]
    public void Catalog_HasTheSeeds21StaplesByLayerAndPhysicalOnes()
    {
        var byLayer = Catalog.Staples.GroupBy(s => s.Layer).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(5, byLayer[Layer.AiCode]);
        Assert.Equal(5, byLayer[Layer.Distribution]);
        Assert.Equal(4, byLayer[Layer.MoneyInfra]);
        Assert.Equal(4, byLayer[Layer.DesignContent]);
        Assert.Equal(3, byLayer[Layer.CustomerOps]);
        Assert.True(byLayer[Layer.Physical] >= 3);
    }

    [Fact]
    public void EveryStaple_HasAllSixFeaturesAndAtLeastOneCheck()
    {
        Assert.All(Catalog.Staples, s =>
        {
            Assert.Matches("^[a-z0-9-]+$", s.Id);
            Assert.All(new[] { s.Anatomy.EntryTrick, s.Anatomy.RubOfReality, s.Anatomy.BackgroundSupport, s.Anatomy.Payoff, s.Anatomy.Repeatability, s.Anatomy.ExperimentalPath },
                feature => Assert.False(string.IsNullOrWhiteSpace(feature)));
            Assert.NotEmpty(s.Checks);
        });
        Assert.Equal(Catalog.Staples.Count, Catalog.Staples.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void StripeStaple_NeedsNoAccountSpecificParameter()
    {
        var staple = Catalog.Find("STRIPE-PAYMENT-LINK")!;

        Assert.Contains(staple.Checks, c => c.Type == StripeTestPaymentCheck.Name && c.RequiredParameters.Count == 0);
    }

    [Fact]
    public void PhysicalStaples_AreManualOnly()
    {
        Assert.All(Catalog.Staples.Where(s => s.Layer == Layer.Physical), s => Assert.True(s.IsManualOnly));
    }
}
