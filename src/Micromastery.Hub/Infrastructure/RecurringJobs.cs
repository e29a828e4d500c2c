using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Micromastery.Hub.Email;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Every recurring job the hub registers — what an operator sees under /hangfire/recurring — with the
/// one place in its feature that registers it. A feature registers its jobs only through <see cref="RecurringJobSet"/>,
/// naming its family here; a job id missing here fails a test.
/// </summary>
internal static class RecurringJobs
{
    /// <param name="Id">One job's id, or a family's prefix ending in <c>*</c>.</param>
    public sealed record Entry(string Id, string RegisteredBy, string What)
    {
        public bool Matches(string id) => Id.EndsWith('*') ? id.StartsWith(Id[..^1], StringComparison.Ordinal) : id == Id;
    }

    public static Entry Checks { get; } = new(CheckJob.IdPrefix + "*", "Payoffs/PayoffJobs.cs (via CheckScheduler)",
        "check:{slug}:{check}, one per polling check of the stack, on its schedule in the stack's time zone");

    public static Entry Reconfirmations { get; } = new(ReconfirmJob.IdPrefix + "*", "Payoffs/PayoffJobs.cs (via ReconfirmScheduler)",
        "reconfirm:{slug}, one per micromastery with a polling check: asks each source again about its evidence (weekly unless the entry's 'reconfirm' says otherwise)");

    public static Entry InboxSweep { get; } = new(InboxDrainJob.SweepJobId, "Webhooks/InboxJobs.cs", "every minute, processes stored webhook events that no drain reached");

    public static Entry Reconciliations { get; } = new(ReconciliationJob.IdPrefix + "*", "Webhooks/ReconciliationJob.cs",
        "reconcile:{provider}, one per provider with a log of its webhook deliveries (Stripe, GitHub): recovers what the inbox missed, on Reconciliation:Schedule (hourly) and once at start-up");

    public static Entry DraftRefresh { get; } = new(CaseStudies.CaseStudyJob.RefreshJobId, "CaseStudies/CaseStudiesSetup.cs",
        "every five minutes, redraws the case study of a verified payoff whose story changed (disputed, gone, another context)");

    public static Entry WeeklyEmail { get; } = new(WeeklyEmailJob.RecurringJobId, "Email/WeeklyEmailSchedule.cs", "the weekly email, on Email:Schedule in the stack's time zone");

    public static IReadOnlyList<Entry> All { get; } = [Checks, Reconfirmations, InboxSweep, Reconciliations, DraftRefresh, WeeklyEmail];

    public static Entry? Find(string id) => All.FirstOrDefault(e => e.Matches(id));
}

/// <summary>One recurring job as its feature wants it: id, what it runs, its cron and the zone the cron is read in.</summary>
internal sealed record WantedJob(string Id, Job Job, string Cron, TimeZoneInfo? TimeZone = null)
{
    public static WantedJob Of<T>(string id, System.Linq.Expressions.Expression<Func<T, Task>> run, string cron, TimeZoneInfo? timeZone = null) =>
        new(id, Job.FromExpression(run), cron, timeZone);

    public static WantedJob Of<T>(string id, System.Linq.Expressions.Expression<Action<T>> run, string cron, TimeZoneInfo? timeZone = null) =>
        new(id, Job.FromExpression(run), cron, timeZone);
}

/// <summary>
/// The one way a feature registers its recurring jobs: <see cref="Sync"/> adds or updates the jobs it wants in one family
/// (<see cref="RecurringJobs.Entry"/>) and removes the family's others, so a check taken out of the stack file loses its job.
/// Missed runs are skipped (each feature catches up from its own tables, which outlive in-memory job storage).
/// </summary>
internal sealed class RecurringJobSet(IRecurringJobManager recurring, JobStorage storage)
{
    private readonly Lock _gate = new();

    /// <returns>The ids now registered in <paramref name="family"/>.</returns>
    public IReadOnlySet<string> Sync(RecurringJobs.Entry family, IEnumerable<WantedJob> wanted)
    {
        if (!RecurringJobs.All.Contains(family))
        {
            throw new InvalidOperationException($"recurring job family '{family.Id}' is not on RecurringJobs.All");
        }

        lock (_gate)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var job in wanted)
            {
                if (!family.Matches(job.Id))
                {
                    throw new InvalidOperationException($"recurring job '{job.Id}' is not of the family '{family.Id}'");
                }

                recurring.AddOrUpdate(job.Id, job.Job, job.Cron,
                    new RecurringJobOptions { TimeZone = job.TimeZone ?? TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Ignorable });
                ids.Add(job.Id);
            }

            using var connection = storage.GetConnection();
            foreach (var existing in connection.GetRecurringJobs())
            {
                if (family.Matches(existing.Id) && !ids.Contains(existing.Id))
                {
                    recurring.RemoveIfExists(existing.Id);
                }
            }

            return ids;
        }
    }
}
