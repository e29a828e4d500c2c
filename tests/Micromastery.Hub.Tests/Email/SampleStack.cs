using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Tests.Email;

/// <summary>
/// A realistic stack on Monday 2026-11-30 08:00 in Istanbul (ISO week 2026-W49): one payoff verified
/// this week, one earlier this month, three in progress (an unknown check, a missing credential, a
/// stale poller) and one not started yet.
/// </summary>
public static class SampleStack
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.FromHours(3));

    private static DateTimeOffset At(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(3));

    public static StackDefinition Definition { get; } = new(Zone,
    [
        Mm("stripe-payment-link", new DateOnly(2026, 11, 20)),
        Mm("github-actions-cron", new DateOnly(2026, 11, 25)),
        Mm("newsletter-first-100", new DateOnly(2026, 11, 28)),
        Mm("perfect-omelette", new DateOnly(2026, 11, 1)),
        Mm("calcom-tiered-links", new DateOnly(2026, 11, 24)),
        Mm("figma-component-library", new DateOnly(2026, 12, 3)),
    ]);

    /// <summary>The Stripe micromastery's practice log during its seven days (started 2026-11-20, verified on day 7).</summary>
    public static IReadOnlyList<Micromastery.Hub.Practice.PracticeSession> StripeSessions { get; } =
    [
        Session("s1", new DateOnly(2026, 11, 20), 60, "Read the Payment Links docs; made a test product."),
        Session("s2", new DateOnly(2026, 11, 21), 95, "First Payment Link end to end in test mode."),
        Session("s3", new DateOnly(2026, 11, 22), 120, "Webhook signature failures: the raw body was re-encoded."),
        Session("s4", new DateOnly(2026, 11, 26), 45, null),
    ];

    /// <summary>Every day's practice: the Stripe log below, and two micromasteries practised last week.</summary>
    internal static IReadOnlyList<Micromastery.Hub.Practice.PracticeDayTotal> Practice { get; } =
    [
        .. StripeSessions.Select(p => new Micromastery.Hub.Practice.PracticeDayTotal(p.Slug, p.Date, p.Minutes, p.Minutes >= 90 ? 1 : 0)),
        new("github-actions-cron", new DateOnly(2026, 11, 25), 120, 1),
        new("github-actions-cron", new DateOnly(2026, 11, 26), 90, 1),
        new("github-actions-cron", new DateOnly(2026, 11, 27), 45, 0),
        new("newsletter-first-100", new DateOnly(2026, 11, 28), 100, 1),
        new("newsletter-first-100", new DateOnly(2026, 11, 29), 70, 0),
    ];

    public static StackReport Report { get; } = WithPace(new(Now, Zone.Id, "/home/solo/stack.yml", [],
    [
        Item("stripe-payment-link", PayoffStates.Verified, At(11, 26, 14, 12),
            [new CheckReport("stripe.test-payment", "stripe.test-payment", CheckStates.Holds, null, null, null)],
            [new EvidenceItem("stripe.test-payment", "stripe", "pi_3QkX2mLd8a7ZbC1d0xYz9", At(11, 26, 14, 11),
                "https://dashboard.stripe.com/test/payments/pi_3QkX2mLd8a7ZbC1d0xYz9")]),
        Item("github-actions-cron", PayoffStates.Unknown, null,
            [new CheckReport("github.workflow-run", "github.workflow-run", CheckStates.Unknown, "GitHub answered 502 Bad Gateway", At(11, 30, 7, 45), At(11, 29, 7, 45))],
            []),
        Item("newsletter-first-100", PayoffStates.Unknown, null,
            [new CheckReport("newsletter.beehiiv", "newsletter.beehiiv", CheckStates.NotConfigured, "Set Beehiiv:ApiKey (a Beehiiv API key with read access).", At(11, 30, 7, 0), null)],
            []),
        Item("perfect-omelette", PayoffStates.Verified, At(11, 7, 19, 30),
            [new CheckReport("manual", "manual", CheckStates.Holds, null, null, null)],
            [new EvidenceItem("manual", "manual", "perfect-omelette/manual/7f3a", At(11, 7, 19, 30), "https://www.youtube.com/watch?v=omelette-take-3")]),
        Item("calcom-tiered-links", PayoffStates.Pending, null,
            [new CheckReport("calcom.event-types", "calcom.event-types", CheckStates.Pending, "No event type of 30 min yet.", At(11, 27, 9, 0), At(11, 27, 9, 0), Stale: true)],
            []),
        Item("figma-component-library", PayoffStates.Pending, null,
            [new CheckReport("manual", "manual", CheckStates.Pending, null, null, null)],
            []),
    ]));

    private static Micromastery.Hub.Practice.PracticeSession Session(string id, DateOnly day, int minutes, string? note) =>
        new(id, "stripe-payment-link", new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(3)), day, minutes, note, Now);

    private static StackReport WithPace(StackReport report)
    {
        // The Stripe payoff was reached again through a second Payment Link this week.
        var repeated = new RepeatabilityReport(RepeatabilityStates.Demonstrated, At(11, 28, 16, 40),
        [
            new RepeatabilityContext("payment link plink_1SoloCoaching", At(11, 26, 14, 11), ["pi_3QkX2mLd8a7ZbC1d0xYz9"]),
            new RepeatabilityContext("payment link plink_1TemplatePack", At(11, 28, 16, 40), ["pi_3QlA9nMe2b8YcD4e1wXv7"]),
        ], "The payoff reached again in another product, price or payment link.");
        var items = report.Micromasteries.Select(m => m with
        {
            Practice = Micromastery.Hub.Practice.Pace.For(m, Practice),
            Repeatability = m.Slug == "stripe-payment-link" ? repeated : new RepeatabilityReport(RepeatabilityStates.NotYet, null, [], "The payoff reached again in another repository."),
        }).ToList();
        return report with { Micromasteries = items, Pace = Micromastery.Hub.Practice.Pace.Of(items, Practice, Zone, Now) };
    }

    private static Micromastery.Hub.Stack.Micromastery Mm(string staple, DateOnly started)
    {
        var s = Catalog.Find(staple)!;
        return new(s.Id, s.Name, s.Layer, started, Zone, s.Anatomy, s.Id, []);
    }

    private static MicromasteryReport Item(string slug, string payoff, DateTimeOffset? verifiedAt, IReadOnlyList<CheckReport> checks, IReadOnlyList<EvidenceItem> evidence)
    {
        var m = Definition.Find(slug)!;
        var day = m.PlanOn(Now);
        return new MicromasteryReport(m.Slug, m.Name, m.Layer.Code(), m.Layer.Title(), m.StapleId, m.Started, day.Day, day.Phase, day.Asks,
            payoff, verifiedAt, checks, evidence);
    }
}
