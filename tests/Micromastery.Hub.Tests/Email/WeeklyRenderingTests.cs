using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.Email;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Email;

/// <summary>
/// The built-in templates with realistic data, against golden files reviewed by eye (the HTML also as a
/// screenshot). After an intended template change: HUB_UPDATE_GOLDEN=1 dotnet test, then review the diff.
/// </summary>
public sealed class WeeklyRenderingTests
{
    private static readonly IsoWeek Week = new(2026, 49);

    private static Task<string> RenderAsync(string template) =>
        TestTemplates.Renderer().RenderAsync(template, WeeklyModel.Build(SampleStack.Report, SampleStack.Definition, Week), CancellationToken.None);

    [Fact]
    public async Task WeeklyHtml_MatchesGoldenFile() => Golden.Match("weekly.html", await RenderAsync(WeeklyEmailRenderer.HtmlTemplate));

    [Fact]
    public async Task WeeklyText_MatchesGoldenFile() => Golden.Match("weekly.txt", await RenderAsync(WeeklyEmailRenderer.TextTemplate));

    [Fact]
    public async Task CaseStudy_MatchesGoldenFile()
    {
        var m = SampleStack.Report.Micromasteries.Single(x => x.Slug == "stripe-payment-link");

        var markdown = await TestTemplates.Renderer().RenderAsync(CaseStudyRenderer.Template,
            CaseStudyModel.Build(m, SampleStack.Definition.Find(m.Slug)!.Anatomy, SampleStack.Zone, SampleStack.Now, SampleStack.StripeSessions), CancellationToken.None);

        Golden.Match("case-study.md", markdown);
    }

    [Fact]
    public async Task WeeklyHtml_IsAnEmailSafeDocument()
    {
        var html = await RenderAsync(WeeklyEmailRenderer.HtmlTemplate);

        Assert.Contains("max-width:600px", html);
        Assert.Contains("name=\"viewport\"", html);
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("class=", html);
    }

    [Fact]
    public async Task WeeklyTextAndHtml_CarryTheSameFacts()
    {
        var html = await RenderAsync(WeeklyEmailRenderer.HtmlTemplate);
        var text = await RenderAsync(WeeklyEmailRenderer.TextTemplate);

        string[] facts =
        [
            "2026-W49",
            "https://dashboard.stripe.com/test/payments/pi_3QkX2mLd8a7ZbC1d0xYz9",
            "A simple cron job with GitHub Actions",
            "Day 6 of 7",
            "GitHub answered 502 Bad Gateway",
            "Set Beehiiv:ApiKey",
            "stale",
            "2 payoffs verified in the last 30 days",
            "2 of the 10–12 a working stack needs",
            "starts 2026-12-03",
        ];
        Assert.All(facts, fact => Assert.Contains(fact, text));
        Assert.All(facts, fact => Assert.Contains(System.Net.WebUtility.HtmlEncode(fact).Replace("&#8211;", "–"), html));
    }

    [Fact]
    public async Task PendingCheckAskedDaysAgo_IsNotStale_WhenTheReportSaysItsScheduleIsKept()
    {
        // A weekly poll last asked three days ago is on time: only the report's schedule-aware flag calls a check stale.
        var onTime = SampleStack.Report with
        {
            Micromasteries = [.. SampleStack.Report.Micromasteries.Select(m => m with { Checks = [.. m.Checks.Select(c => c with { Stale = false })] })],
        };

        var text = await TestTemplates.Renderer().RenderAsync(WeeklyEmailRenderer.TextTemplate, WeeklyModel.Build(onTime, SampleStack.Definition, Week), CancellationToken.None);

        Assert.DoesNotContain("[stale]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("poll stopped", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Subject_CountsThisWeekAndTotal() =>
        Assert.Equal("Micromastery week 2026-W49: 1 payoff verified this week, 2 in total", WeeklyModel.Subject(Week, 1, 2));
}
