using System.Globalization;
using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.CaseStudies;

/// <summary>
/// Days to payoff has one definition (<see cref="SevenDayPlan.DaysToPayoff"/>, in the micromastery's own time zone): the
/// case-study draft and the public page say the same day even when the entry's zone and the stack's disagree on the date.
/// </summary>
public sealed class DaysToPayoffTests
{
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");

    [Fact]
    public void DaysToPayoff_IsCountedInTheGivenZone_LikeThePlanDay()
    {
        var started = new DateOnly(2026, 11, 20);
        var verifiedAt = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero); // 22 Nov 01:00 in Auckland

        Assert.Equal(3, SevenDayPlan.DaysToPayoff(started, Auckland, verifiedAt));
        Assert.Equal(2, SevenDayPlan.DaysToPayoff(started, TimeZoneInfo.Utc, verifiedAt));
        Assert.Equal(SevenDayPlan.DayOf(started, Auckland, verifiedAt).Day, SevenDayPlan.DaysToPayoff(started, Auckland, verifiedAt));
        Assert.Null(SevenDayPlan.DaysToPayoff(started, Auckland, null));
    }

    [Fact]
    public async Task DraftAndPublicPage_SayTheSameDay_WhenTheEntrysZoneIsNotTheStacks()
    {
        // A zone whose date differs from UTC's right now (for the next half hour at least): ahead late in the UTC day, behind early.
        var now = DateTimeOffset.UtcNow;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(now.TimeOfDay >= TimeSpan.FromHours(10.5) ? "Pacific/Kiritimati" : "Pacific/Pago_Pago");
        var localToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        await using var hub = await HubServices.CreateAsync($"""
            timeZone: UTC
            micromasteries:
              - slug: omelette
                name: Omelette
                layer: A
                timeZone: {zone.Id}
                started: {localToday.AddDays(-2):yyyy-MM-dd}
                public: true
                checks:
                  - type: manual
            """);

        // What POST …/evidence, POST …/drafts and GET …/drafts/latest call.
        await hub.Service<ManualEvidenceRecorder>().RecordAsync("omelette", new ManualEvidence(null, null, "folded"), CancellationToken.None);
        await hub.Service<DraftRendering>().RenderNowAsync("omelette", CancellationToken.None);
        var draft = (await hub.Service<DraftStore>().GetAsync("omelette", null, CancellationToken.None))!.Markdown;
        var shown = (await hub.Service<PublicReader>().ReadAsync("omelette", CancellationToken.None)).Micromasteries.Single();

        Assert.Equal(3, shown.DaysToPayoff);
        Assert.Contains($"(day {shown.DaysToPayoff?.ToString(CultureInfo.InvariantCulture)})", draft, StringComparison.Ordinal);
    }
}
