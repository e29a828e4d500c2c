using Micromastery.Hub.CalCom;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.LandingPage;
using Micromastery.Hub.Newsletter;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;

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

/// <summary>The disclosure rule: which evidence links a stranger may follow. Each check type states its own; only its rule is read here.</summary>
public sealed class EvidenceDisclosureTests
{
    private static readonly CheckTypeRegistry Types = new([
        new ManualCheckType(),
        new StripeTestPaymentCheck(api: null!),
        new GitHubWorkflowRunCheck(api: null!, TimeProvider.System),
        new CalComBookingCheck(api: null!, TimeProvider.System),
        new NewsletterPublishedCheck(beehiiv: null!, feeds: null!, TimeProvider.System),
        new NewsletterSubscribersCheck(beehiiv: null!, TimeProvider.System),
        new HttpPageCheck(fetcher: null!, TimeProvider.System),
    ]);

    [Theory]
    [InlineData(GitHubWorkflowRunCheck.Name, """{"repo":"ada/site","private":"false"}""", false, true)]
    [InlineData(GitHubWorkflowRunCheck.Name, """{"repo":"ada/secret","private":"true"}""", false, false)]
    [InlineData(GitHubWorkflowRunCheck.Name, """{"repo":"ada/unknown"}""", false, false)] // seen without repository.private: private
    [InlineData(GitHubWorkflowRunCheck.Name, """{"repo":"ada/secret","private":"true"}""", true, true)] // the owner's choice wins
    [InlineData(NewsletterPublishedCheck.Name, """{"feed":"https://news.example/feed"}""", false, true)]
    [InlineData(HttpPageCheck.Name, """{"url":"https://ada.example"}""", false, true)]
    [InlineData(StripeTestPaymentCheck.Name, """{"amount":"1900"}""", false, false)]
    [InlineData(CalComBookingCheck.Name, "{}", false, false)]
    [InlineData(NewsletterSubscribersCheck.Name, """{"active":"57"}""", false, false)]
    [InlineData(CheckTypes.Manual, """{"note":"x"}""", false, false)]
    [InlineData(CheckTypes.Manual, """{"note":"x"}""", true, true)]
    [InlineData(GitHubWorkflowRunCheck.Name, "not json", false, false)]
    [InlineData("unknown.type", "{}", false, false)] // a type this hub does not know: private
    public void LinkIsPublic_FollowsTheRule(string type, string facts, bool marked, bool expected)
    {
        Assert.Equal(expected, EvidenceDisclosure.LinkIsPublic(Types.Find(type), facts, marked));
    }

    [Fact]
    public void Subscribers_AreWordedFromTheCheck_NotFromTheCount()
    {
        var check = new CheckSpec("subs", NewsletterSubscribersCheck.Name, new Dictionary<string, string> { ["publication"] = "pub_secret", ["min"] = "1" }, null, 1);

        var words = VerificationWords.HowVerified(Types, check);

        Assert.Equal("a newsletter with at least 1 active subscriber, reported by Beehiiv", words);
    }
}
