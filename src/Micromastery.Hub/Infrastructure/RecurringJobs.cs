using Micromastery.Hub.Email;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Every recurring job the hub registers — what an operator sees under /hangfire/recurring — with the
/// one place in its feature that registers it. A job id missing here fails a test.
/// </summary>
public static class RecurringJobs
{
    public sealed record Entry(string Id, string RegisteredBy, string What)
    {
        public bool Matches(string id) => Id.EndsWith('*') ? id.StartsWith(Id[..^1], StringComparison.Ordinal) : id == Id;
    }

    public static IReadOnlyList<Entry> All { get; } =
    [
        new(CheckJob.IdPrefix + "*", "Payoffs/PayoffJobs.cs (via CheckScheduler)",
            "check:{slug}:{check}, one per polling check of the stack, on its schedule in the stack's time zone"),
        new(ReconfirmJob.IdPrefix + "*", "Payoffs/PayoffJobs.cs (via ReconfirmScheduler)",
            "reconfirm:{slug}, one per micromastery with a polling check: asks each source again about its evidence (weekly unless the entry's 'reconfirm' says otherwise)"),
        new(InboxDrainJob.SweepJobId, "Webhooks/InboxJobs.cs", "every minute, processes stored webhook events that no drain reached"),
        new(ReconciliationJob.IdPrefix + "*", "Webhooks/ReconciliationJob.cs",
            "reconcile:{provider}, one per provider with a log of its webhook deliveries (Stripe, GitHub): recovers what the inbox missed, on Reconciliation:Schedule (hourly) and once at start-up"),
        new(CaseStudies.CaseStudyJob.RefreshJobId, "CaseStudies/CaseStudiesSetup.cs",
            "every five minutes, redraws the case study of a verified payoff whose story changed (disputed, gone, another context)"),
        new(WeeklyEmailJob.RecurringJobId, "Email/WeeklyEmailSchedule.cs", "the weekly email, on Email:Schedule in the stack's time zone"),
    ];

    public static Entry? Find(string id) => All.FirstOrDefault(e => e.Matches(id));
}
