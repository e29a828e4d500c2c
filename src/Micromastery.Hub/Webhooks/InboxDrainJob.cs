using System.Collections.Frozen;
using Dapper;
using Hangfire;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// Processes stored webhook events in batches: the inbox table is the queue, this job drains it.
/// Re-entrant and idempotent — an event processed twice yields the same evidence once.
/// </summary>
public sealed partial class InboxDrainJob
{
    public const string SweepJobId = "inbox-sweep";
    // Small batches keep each write transaction short, so webhook commits are not held up behind processing.
    private const int BatchSize = 32;
    private const int MaxAttempts = 5;

    private readonly HubDatabase _database;
    private readonly InboxDrainTrigger _trigger;
    private readonly InboxWriter _writer;
    private readonly PayoffLedger _ledger;
    private readonly IBackgroundJobClient _jobs;
    private readonly FrozenDictionary<string, IWebhookSource> _sources;
    private readonly TimeProvider _clock;
    private readonly ILogger<InboxDrainJob> _logger;

    public InboxDrainJob(HubDatabase database, InboxDrainTrigger trigger, InboxWriter writer, PayoffLedger ledger, IBackgroundJobClient jobs, IEnumerable<IWebhookSource> sources, TimeProvider clock, ILogger<InboxDrainJob> logger)
    {
        _database = database;
        _trigger = trigger;
        _writer = writer;
        _ledger = ledger;
        _jobs = jobs;
        _sources = sources.ToFrozenDictionary(s => s.Provider);
        _clock = clock;
        _logger = logger;
    }

    // No DisableConcurrentExecution: its lock outlives a killed process on PostgreSQL for minutes. Concurrent
    // drains are safe instead: rows are claimed with FOR UPDATE SKIP LOCKED (PostgreSQL) or under SQLite's
    // single write lock, and processing is idempotent.
    [AutomaticRetry(Attempts = 5)]
    [JobDisplayName("Process stored webhook deliveries")]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _trigger.Started();
        var processed = 0;
        long after = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await GiveWayToDeliveriesAsync(cancellationToken);
            var batch = await ProcessBatchAsync(after, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            after = batch.LastId;
            processed += batch.Count;
        }

        return processed;
    }

    /// <summary>
    /// Storing deliveries comes first: while they stream in, processing takes one batch per
    /// <see cref="MaxGiveWay"/> at most and leaves the cores to the webhook requests; it catches up at full
    /// speed once the burst is over. Processing never stops entirely, so a steady stream cannot starve it.
    /// </summary>
    private async Task GiveWayToDeliveriesAsync(CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (_writer.IsBusy(BusyWindow) && waited < MaxGiveWay)
        {
            await Task.Delay(BusyWindow, cancellationToken);
            waited += BusyWindow;
        }
    }

    private static readonly TimeSpan BusyWindow = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxGiveWay = TimeSpan.FromMilliseconds(200);

    /// <summary>Cheap periodic safety net: start a drain if anything waits (e.g. stored while job storage was down).</summary>
    [JobDisplayName("Sweep the webhook inbox for anything unprocessed")]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var waiting = await connection.ExecuteScalarAsync<long?>("SELECT min(id) FROM inbox_events WHERE state = 0");
        if (waiting is not null)
        {
            _trigger.Signal();
        }
    }

    private async Task<(int Count, long LastId)> ProcessBatchAsync(long after, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        var batch = await _ledger.BeginAsync(cancellationToken);
        try
        {
            Drained drained;
            try
            {
                drained = await DrainBatchAsync(batch, after, isolate: false, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One event's recording failed and took the batch's transaction with it: do the batch again,
                // each event recorded alone, so that event fails by itself and the others are recorded.
                LogBatchIsolated(ex);
                await batch.DisposeAsync();
                batch = await _ledger.BeginAsync(cancellationToken);
                drained = await DrainBatchAsync(batch, after, isolate: true, cancellationToken);
            }

            if (drained.Count == 0)
            {
                return (0, after);
            }

            await batch.CompleteAsync(cancellationToken);
            InboxMetrics.DrainBatchDuration.Record(_clock.GetElapsedTime(started).TotalMilliseconds);
            InboxMetrics.Processed.Add(drained.Count);
            StartPolls(drained.PollNow);
            return (drained.Count, drained.LastId);
        }
        finally
        {
            await batch.DisposeAsync();
        }
    }

    /// <summary>After the commit: a poll started inside the transaction could run before, or without, the event's own writes.</summary>
    private void StartPolls(List<CheckRef> checks)
    {
        foreach (var (slug, checkId) in checks)
        {
            _jobs.Enqueue<CheckJob>(job => job.RunAsync(slug, checkId, CancellationToken.None));
        }
    }

    /// <summary>Claims and processes one batch inside the ledger batch's transaction; with <paramref name="isolate"/>, an event whose recording throws is undone alone.</summary>
    private async Task<Drained> DrainBatchAsync(LedgerBatch batch, long after, bool isolate, CancellationToken cancellationToken)
    {
        var (connection, transaction) = (batch.Connection, batch.Transaction);
        var rows = (await connection.QueryAsync<Row>(
            "SELECT id AS Id, provider AS Provider, event_id AS EventId, event_type AS EventType, body AS Body, received_at AS ReceivedAt, attempts AS Attempts " +
            "FROM inbox_events WHERE state = 0 AND id > @after ORDER BY id LIMIT @limit" + _database.Dialect.ClaimRows,
            new { after, limit = BatchSize }, transaction)).ToList();
        var drained = new Drained(rows.Count, rows.Count == 0 ? after : rows[^1].Id);
        if (rows.Count == 0)
        {
            return drained;
        }

        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var processed = new List<long>(rows.Count);
        foreach (var row in rows)
        {
            var (state, note) = await ProcessAsync(batch, row, isolate, drained.PollNow, cancellationToken);
            if (state == (int)InboxState.Processed)
            {
                processed.Add(row.Id);
                continue;
            }

            await connection.ExecuteAsync(
                "UPDATE inbox_events SET state = @state, note = @note, processed_at = @now, attempts = attempts + 1 WHERE id = @id",
                new { state, note, now, id = row.Id }, transaction);
        }

        if (processed.Count > 0)
        {
            // One statement for the common case.
            await connection.ExecuteAsync(
                $"UPDATE inbox_events SET state = 1, processed_at = @now, attempts = attempts + 1 WHERE {_database.Dialect.AnyOf("id", "ids")}",
                new { now, ids = processed.ToArray() }, transaction);
        }

        return drained;
    }

    private async Task<(int State, string? Note)> ProcessAsync(LedgerBatch batch, Row row, bool isolate, List<CheckRef> pollNow, CancellationToken cancellationToken)
    {
        if (!_sources.TryGetValue(row.Provider, out var source))
        {
            return ((int)InboxState.Ignored, $"no handler for provider '{row.Provider}'");
        }

        InboxOutcome outcome;
        try
        {
            outcome = source.Map(new StoredEvent(row.Id, row.Provider, row.EventId, row.EventType, row.Body, DateTimeOffset.FromUnixTimeMilliseconds(row.ReceivedAt)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMapFailed(ex, row.Provider, row.EventId);
            return Failure(row, "could not be read", ex);
        }

        if (outcome.IgnoredBecause is { } reason)
        {
            return ((int)InboxState.Ignored, reason);
        }

        if (outcome.Observations.Select(o => o.Problem()).FirstOrDefault(p => p is not null) is { } unusable)
        {
            // The same body maps to the same values every time: retrying cannot help.
            return ((int)InboxState.Failed, $"could not be recorded: {unusable}");
        }

        if (!isolate)
        {
            await batch.RecordAsync(outcome.Observations, cancellationToken);
        }
        else
        {
            try
            {
                await batch.RecordAloneAsync(outcome.Observations, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecordFailed(ex, row.Provider, row.EventId, row.Attempts + 1);
                return Failure(row, "could not be recorded", ex);
            }
        }

        if (outcome.Rechecks is { Count: > 0 } rechecks)
        {
            await batch.RecheckAsync(rechecks, cancellationToken);
        }

        pollNow.AddRange(outcome.PollNow);
        return ((int)InboxState.Processed, null);
    }

    /// <summary>Counts up the event's attempts: it stays in the queue for the next drain until the last one, then it is failed.</summary>
    private static (int State, string? Note) Failure(Row row, string what, Exception ex) =>
        row.Attempts + 1 >= MaxAttempts
            ? ((int)InboxState.Failed, $"{what} after {row.Attempts + 1} attempts: {ex.Message}")
            : ((int)InboxState.Received, $"attempt {row.Attempts + 1} failed: {ex.Message}");

    private sealed record Drained(int Count, long LastId)
    {
        public List<CheckRef> PollNow { get; } = [];
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string Provider { get; set; } = "";
        public string EventId { get; set; } = "";
        public string EventType { get; set; } = "";
        public string Body { get; set; } = "";
        public long ReceivedAt { get; set; }
        public int Attempts { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not process {Provider} event {EventId}")]
    private partial void LogMapFailed(Exception exception, string provider, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {Provider} event {EventId} (attempt {Attempt}); the rest of its batch goes on")]
    private partial void LogRecordFailed(Exception exception, string provider, string eventId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "A drain batch failed; processing it again one event at a time")]
    private partial void LogBatchIsolated(Exception exception);
}

public enum InboxState
{
    Received = 0,
    Processed = 1,
    Ignored = 2,
    Failed = 3,
}
