using Dapper;
using Hangfire;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// Keeps one Hangfire recurring job per polling check of the current stack: added, changed and
/// removed with the stack file (called by <see cref="PayoffJobs"/> at start-up and on every change). Cron from the check's <c>schedule</c> (else the type's default), time
/// zone from the stack.
/// </summary>
/// <remarks>
/// Catch-up is decided here, from the <c>check_status</c> table, rather than by Hangfire's misfire
/// handling: the in-memory job storage beside SQLite forgets every schedule on restart, so only the
/// hub's own table knows what was missed. A check never polled, or whose last attempt is older than
/// its latest scheduled time, is polled once at once; Hangfire skips missed runs itself so the two do
/// not both run it.
/// </remarks>
internal sealed partial class CheckScheduler(
    CheckTypeRegistry types,
    IRecurringJobManager recurring,
    RecurringJobSet jobs,
    HubDatabase database,
    IOptionsMonitor<PollingOptions> options,
    TimeProvider clock,
    ILogger<CheckScheduler> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Makes the recurring check jobs match <paramref name="definition"/>; returns the ids of the jobs and of those polled now to catch up.</summary>
    public async Task<CheckSyncResult> SyncAsync(StackDefinition definition, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var lastAttempts = options.CurrentValue.CatchUp ? await TryLastAttemptsAsync(cancellationToken) : null;
            var now = clock.GetUtcNow();
            var wanted = new List<WantedJob>();
            var missed = new List<string>();
            foreach (var m in definition.Micromasteries)
            {
                foreach (var check in m.Checks)
                {
                    if (types.ScheduleOf(m, check) is not { } schedule)
                    {
                        continue;
                    }

                    var id = CheckJob.IdFor(m.Slug, check.Id);
                    var (slug, checkId) = (m.Slug, check.Id);
                    wanted.Add(WantedJob.Of<CheckJob>(id, job => job.RunAsync(slug, checkId, CancellationToken.None), schedule.Cron, schedule.TimeZone));
                    if (lastAttempts is not null && schedule.Missed(lastAttempts.GetValueOrDefault((slug, checkId)), now))
                    {
                        missed.Add(id);
                    }
                }
            }

            var ids = jobs.Sync(RecurringJobs.Checks, wanted);
            foreach (var id in missed)
            {
                recurring.Trigger(id);
            }

            LogSynced(ids.Count, missed.Count);
            return new CheckSyncResult(ids, missed);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Dictionary<(string Slug, string CheckId), DateTimeOffset?>?> TryLastAttemptsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await LastAttemptsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException)
        {
            // Storage is down: schedule anyway; the recurring runs poll as usual once it is back.
            LogCatchUpSkipped(ex);
            return null;
        }
    }

    private async Task<Dictionary<(string Slug, string CheckId), DateTimeOffset?>> LastAttemptsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Slug, string CheckId, long? LastAttemptAt)>(
            new CommandDefinition("SELECT slug, check_id, last_attempt_at FROM check_status", cancellationToken: cancellationToken));
        return rows.ToDictionary(
            r => (r.Slug, r.CheckId),
            r => r.LastAttemptAt is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled {Count} check jobs; {CaughtUp} polled now (never polled, or a run was missed)")]
    private partial void LogSynced(int count, int caughtUp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read when checks last ran; no catch-up this time")]
    private partial void LogCatchUpSkipped(Exception exception);
}

/// <param name="Jobs">The recurring job ids now scheduled.</param>
/// <param name="CaughtUp">The ones triggered at once because they were never polled or missed a run.</param>
internal sealed record CheckSyncResult(IReadOnlySet<string> Jobs, IReadOnlyList<string> CaughtUp);
