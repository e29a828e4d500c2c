using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>The keys that decide what a stranger sees: each entry's <c>public:</c> and the top-level <c>profile:</c>.</summary>
public sealed class StackFilePublicTests
{
    private readonly StackFileParser _parser = new(new CheckTypeRegistry([new ManualCheckType(), new StripeTestPaymentCheck(api: null!)]));

    [Fact]
    public void PublicAndProfile_AreRead_AndEntriesArePrivateByDefault()
    {
        var result = _parser.Parse("""
            profile:
              name: Ada & Co
              bio: One skill a week, verified.
              links:
                - title: Blog
                  url: https://ada.example/blog
            micromasteries:
              - staple: stripe-payment-link
                started: 2026-11-01
                public: true
              - slug: omelette
                name: A perfect omelette
                layer: physical
                started: 2026-11-20
                checks:
                  - type: manual
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.True(result.Stack!.Find("stripe-payment-link")!.Public);
        Assert.False(result.Stack.Find("omelette")!.Public);
        var profile = result.Stack.Profile!;
        Assert.Equal(("Ada & Co", "One skill a week, verified."), (profile.DisplayName, profile.Bio));
        Assert.Equal(new ProfileLink("Blog", "https://ada.example/blog"), Assert.Single(profile.Links));
    }

    [Fact]
    public void NoProfile_IsNull()
    {
        var result = _parser.Parse("micromasteries: []\n");

        Assert.True(result.IsValid);
        Assert.Null(result.Stack!.Profile);
    }

    [Theory]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n    public: yes\n", 4, 13, "'public' must be true or false, not 'yes'")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-01\n    public: [true]\n", 4, 13, "'public' must be true or false")]
    [InlineData("profile: Ada\n", 1, 10, "'profile' must be a mapping")]
    [InlineData("profile:\n  bio: hello\n", 2, 3, "'profile' needs a 'name'")]
    [InlineData("profile:\n  name: Ada\n  website: https://a.example\n", 3, 3, "unknown key 'website' in 'profile'")]
    [InlineData("profile:\n  name: Ada\n  links:\n    - title: Blog\n      url: javascript:alert(1)\n", 5, 12, "link 'url' must be an absolute http(s) address")]
    [InlineData("profile:\n  name: Ada\n  links:\n    - title: Blog\n", 4, 7, "a profile link needs a 'title' and a 'url'")]
    [InlineData("profile:\n  name: Ada\n  links: https://a.example\n", 3, 10, "profile 'links' must be a list")]
    [InlineData("profile:\n  name: Ada\n  bio: |\n    two\n    lines\n", 3, 8, "profile 'bio' must be one line")]
    public void InvalidPublicKeys_AreRejectedWithLineAndColumn(string yaml, int line, int column, string message)
    {
        var result = _parser.Parse(yaml);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Line == line && e.Column == column && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void ALongDisplayName_IsRejected()
    {
        var result = _parser.Parse($"profile:\n  name: {new string('a', StackFileParser.MaxDisplayNameLength + 1)}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, 9), (error.Line, error.Column));
    }
}
