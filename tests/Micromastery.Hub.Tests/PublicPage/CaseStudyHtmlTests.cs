using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>A published case study: Markdown without raw HTML, and nothing of the private evidence.</summary>
public sealed class CaseStudyHtmlTests
{
    [Fact]
    public void RawHtml_IsShownAsText_AndScriptLinksBecomeText()
    {
        var html = CaseStudyHtml.Render("# Title\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2)) <img src=x onerror=alert(3)>", [], []);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("<h2", html); // the page owns the h1
        Assert.Contains("click", html);
    }

    [Fact]
    public void PrivateEvidence_LosesItsLinkAndId_PublicLinksStay()
    {
        const string markdown = "- [stripe pi_3QabcDEF](https://dashboard.stripe.com/test/payments/pi_3QabcDEF)\n- [feed issue-1](https://news.example/1)\n\n| Day | Proof |\n|---|---|\n| 1 | `pi_3QabcDEF` |\n";

        var html = CaseStudyHtml.Render(markdown, ["https://dashboard.stripe.com/test/payments/pi_3QabcDEF"], ["pi_3QabcDEF", "issue-1"]);

        Assert.DoesNotContain("pi_3QabcDEF", html, StringComparison.Ordinal);
        Assert.DoesNotContain("dashboard.stripe.com", html, StringComparison.Ordinal);
        Assert.Contains("stripe [private]", html);
        Assert.Contains("<a href=\"https://news.example/1\">feed [private]</a>", html);
        Assert.Contains("<table>", html);
    }
}

/// <summary>The disclosure rule: which evidence links a stranger may follow.</summary>
public sealed class EvidenceDisclosureTests
{
    [Theory]
    [InlineData(CheckTypes.GitHubWorkflowRun, """{"repo":"ada/site","private":"false"}""", false, true)]
    [InlineData(CheckTypes.GitHubWorkflowRun, """{"repo":"ada/secret","private":"true"}""", false, false)]
    [InlineData(CheckTypes.GitHubWorkflowRun, """{"repo":"ada/unknown"}""", false, false)] // seen without repository.private: private
    [InlineData(CheckTypes.GitHubWorkflowRun, """{"repo":"ada/secret","private":"true"}""", true, true)] // the owner's choice wins
    [InlineData(CheckTypes.NewsletterPublished, """{"feed":"https://news.example/feed"}""", false, true)]
    [InlineData(CheckTypes.HttpPage, """{"url":"https://ada.example"}""", false, true)]
    [InlineData(CheckTypes.StripeTestPayment, """{"amount":"1900"}""", false, false)]
    [InlineData(CheckTypes.CalComBooking, "{}", false, false)]
    [InlineData(CheckTypes.NewsletterSubscribers, """{"active":"57"}""", false, false)]
    [InlineData(CheckTypes.Manual, """{"note":"x"}""", false, false)]
    [InlineData(CheckTypes.Manual, """{"note":"x"}""", true, true)]
    [InlineData(CheckTypes.GitHubWorkflowRun, "not json", false, false)]
    public void LinkIsPublic_FollowsTheRule(string type, string facts, bool marked, bool expected)
    {
        Assert.Equal(expected, EvidenceDisclosure.LinkIsPublic(type, facts, marked));
    }

    [Fact]
    public void Subscribers_AreWordedFromTheCheck_NotFromTheCount()
    {
        var check = new CheckSpec("subs", CheckTypes.NewsletterSubscribers, new Dictionary<string, string> { ["publication"] = "pub_secret", ["min"] = "1" }, null, 1);

        var words = VerificationWords.HowVerified(check);

        Assert.Equal("a newsletter with at least 1 active subscriber, reported by Beehiiv", words);
    }
}
