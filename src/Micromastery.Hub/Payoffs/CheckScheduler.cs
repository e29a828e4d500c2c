using Hangfire;
using Hangfire.Storage;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// Keeps one Hangfire recurring job per polling check of the current stack: added, changed and
/// removed with the stack file. Cron from the check's <c>schedule</c> (else the type's default), time
/// zone from the stack; missed runs are caught up once after downtime (misfire handling Relaxed).
/// </summary>
public sealed partial class CheckScheduler(
    StackStore stack,
    CheckTypeRegistry types,
    IRecurringJobManager recurring,
    JobStorage storage,
    ILogger<CheckScheduler> logger) : IHostedService
{
    private readonly Lock _gate = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        stack.Changed += OnChanged;
        Sync(stack.Current);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stack.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    /// <summary>Makes the recurring check jobs match <paramref name="definition"/>; returns their ids.</summary>
    public IReadOnlySet<string> Sync(StackDefinition definition)
    {
        lock (_gate)
        {
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in definition.Micromasteries)
            {
                foreach (var check in m.Checks)
                {
                    if (types.Find(check.Type) is not IPollingCheckType polling)
                    {
                        continue;
                    }

                    var id = CheckJob.IdFor(m.Slug, check.Id);
                    var (slug, checkId) = (m.Slug, check.Id);
                    recurring.AddOrUpdate<CheckJob>(id, job => job.RunAsync(slug, checkId, CancellationToken.None), check.Schedule ?? polling.DefaultSchedule,
                        new RecurringJobOptions { TimeZone = m.TimeZone, MisfireHandling = MisfireHandlingMode.Relaxed });
                    wanted.Add(id);
                }
            }

            using var connection = storage.GetConnection();
            foreach (var job in connection.GetRecurringJobs())
            {
                if (job.Id.StartsWith(CheckJob.IdPrefix, StringComparison.Ordinal) && !wanted.Contains(job.Id))
                {
                    recurring.RemoveIfExists(job.Id);
                }
            }

            LogSynced(wanted.Count);
            return wanted;
        }
    }

    private void OnChanged(StackDefinition definition)
    {
        try
        {
            Sync(definition);
        }
        catch (Exception ex)
        {
            // The stack itself loaded; jobs catch up at the next change or restart.
            LogSyncFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled {Count} check jobs")]
    private partial void LogSynced(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not update the check jobs after a stack change")]
    private partial void LogSyncFailed(Exception exception);
}
