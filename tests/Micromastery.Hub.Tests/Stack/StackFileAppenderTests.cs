using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Tests.Stack;

public sealed class StackFileAppenderTests
{
    private static readonly IReadOnlyList<string> Block =
        StackFileAppender.Block(Catalog.Find("stripe-payment-link")!, Micromastery.Hub.Stripe.StripeTestPaymentCheck.Name, [], new DateOnly(2026, 12, 4), isPublic: false);

    [Fact]
    public void Append_AfterTheLastEntry_KeepsEveryOtherLineAndComment()
    {
        var text = """
            # my stack — do not lose this comment
            timeZone: Europe/Istanbul   # where I live

            micromasteries:
                -   slug: omelette     # odd indentation, kept
                    name: Omelette
                    layer: physical
                    started: 2026-11-01
                    checks:
                      - type: manual

            # the profile heads /public
            profile:
              name: Ada
            """;

        var updated = StackFileAppender.Append(text, Block);

        var lines = updated.Split('\n');
        Assert.StartsWith(text.Split('\n')[0..9].Aggregate((a, b) => a + "\n" + b), updated, StringComparison.Ordinal);
        Assert.Contains("    - staple: stripe-payment-link", lines);
        Assert.Contains("      started: 2026-12-04", lines);
        Assert.True(Array.IndexOf(lines, "    - staple: stripe-payment-link") < Array.IndexOf(lines, "# the profile heads /public"));
        Assert.EndsWith("profile:\n  name: Ada\n", updated, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_ToAnEmptyFlowList_TurnsItIntoABlockList()
    {
        var updated = StackFileAppender.Append("timeZone: UTC\nmicromasteries: [] # none yet\n# examples below\n", Block);

        Assert.StartsWith("timeZone: UTC\nmicromasteries: # none yet\n  # C) Money + infrastructure", updated, StringComparison.Ordinal);
        Assert.EndsWith("      - type: stripe.test-payment\n# examples below\n", updated, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_WithoutAList_AddsOne_AndKeepsWindowsLineEnds()
    {
        var updated = StackFileAppender.Append("timeZone: UTC\r\n", Block);

        Assert.StartsWith("timeZone: UTC\r\n\r\nmicromasteries:\r\n  # C)", updated, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n\n", updated, StringComparison.Ordinal);
        Assert.DoesNotContain(updated.Replace("\r\n", "", StringComparison.Ordinal), c => c == '\n');
    }

    [Fact]
    public void Block_QuotesTheOwnersValues_SoTheyStayText()
    {
        var block = StackFileAppender.Block(Catalog.Find("github-actions-cron")!, Micromastery.Hub.GitHub.GitHubWorkflowRunCheck.Name, [("repo", "you/x\" # not: yaml")], new DateOnly(2026, 12, 4), isPublic: true);

        Assert.Contains("      repo: \"you/x\\\" # not: yaml\"", block);
        Assert.Contains("  public: true", block);
    }
}
