using Hangfire;
using Hangfire.Storage;
using Micromastery.Hub.Stack;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// Keeps one recurring re-confirmation job per micromastery with a polling check: the entry's
/// <c>reconfirm</c> cron, else <see cref="ReconfirmOptions.Schedule"/>, in the entry's time zone.
/// </summary>
public sealed class ReconfirmScheduler(CheckTypeRegistry types, IRecurringJobManager recurring, JobStorage storage, IOptionsMonitor<ReconfirmOptions> options)
{
    private readonly Lock _gate = new();

    public Schedule? ScheduleOf(Stack.Micromastery micromastery) =>
        micromastery.Checks.Any(c => types.Find(c.Type) is IPollingCheckType)
            ? new Schedule(micromastery.Reconfirm ?? options.CurrentValue.Schedule, micromastery.TimeZone)
            : null;

    /// <summary>Makes the re-confirmation jobs match <paramref name="definition"/>; returns their ids.</summary>
    public IReadOnlySet<string> Sync(StackDefinition definition)
    {
        lock (_gate)
        {
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in definition.Micromasteries)
            {
                if (ScheduleOf(m) is not { } schedule)
                {
                    continue;
                }

                var (id, slug) = (ReconfirmJob.IdFor(m.Slug), m.Slug);
                recurring.AddOrUpdate<ReconfirmJob>(id, job => job.RunAsync(slug, CancellationToken.None), schedule.Cron,
                    new RecurringJobOptions { TimeZone = schedule.TimeZone, MisfireHandling = MisfireHandlingMode.Ignorable });
                wanted.Add(id);
            }

            using var connection = storage.GetConnection();
            foreach (var job in connection.GetRecurringJobs())
            {
                if (job.Id.StartsWith(ReconfirmJob.IdPrefix, StringComparison.Ordinal) && !wanted.Contains(job.Id))
                {
                    recurring.RemoveIfExists(job.Id);
                }
            }

            return wanted;
        }
    }
}
