using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// Keeps one recurring re-confirmation job per micromastery with a polling check: the entry's
/// <c>reconfirm</c> cron, else <see cref="ReconfirmOptions.Schedule"/>, in the entry's time zone.
/// </summary>
internal sealed class ReconfirmScheduler(CheckTypeRegistry types, RecurringJobSet jobs, IOptionsMonitor<ReconfirmOptions> options)
{
    public Schedule? ScheduleOf(Stack.Micromastery micromastery) =>
        micromastery.Checks.Any(c => types.Find(c.Type) is IPollingCheckType)
            ? new Schedule(micromastery.Reconfirm ?? options.CurrentValue.Schedule, micromastery.TimeZone)
            : null;

    /// <summary>Makes the re-confirmation jobs match <paramref name="definition"/>; returns their ids.</summary>
    public IReadOnlySet<string> Sync(StackDefinition definition) =>
        jobs.Sync(RecurringJobs.Reconfirmations, definition.Micromasteries
            .Select(m => (Slug: m.Slug, Schedule: ScheduleOf(m)))
            .Where(m => m.Schedule is not null)
            .Select(m => WantedJob.Of<ReconfirmJob>(ReconfirmJob.IdFor(m.Slug), job => job.RunAsync(m.Slug, CancellationToken.None), m.Schedule!.Cron, m.Schedule.TimeZone))
            .ToList());
}
