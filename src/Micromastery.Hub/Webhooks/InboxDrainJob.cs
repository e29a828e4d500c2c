using Hangfire;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// Processes the stored webhook events the group commit left unprocessed (a mapping or recording that threw,
/// a replay, events stored before a restart) in batches: the inbox table is the queue, this job drains it.
/// Re-entrant and idempotent — an event processed twice yields the same evidence once.
/// </summary>
internal sealed partial class InboxDrainJob
{
    public const string SweepJobId = "inbox-sweep";
    // Small batches keep each write transaction short, so webhook commits are not held up behind processing.
    private const int BatchSize = 32;

    private readonly InboxStore _store;
    private readonly InboxDrainTrigger _trigger;
    private readonly InboxWriter _writer;
    private readonly PayoffLedger _ledger;
    private readonly InboxProcessor _processor;
    private readonly TimeProvider _clock;
    private readonly ILogger<InboxDrainJob> _logger;

    public InboxDrainJob(InboxStore store, InboxDrainTrigger trigger, InboxWriter writer, PayoffLedger ledger, InboxProcessor processor, TimeProvider clock, ILogger<InboxDrainJob> logger)
    {
        _store = store;
        _trigger = trigger;
        _writer = writer;
        _ledger = ledger;
        _processor = processor;
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

    /// <summary>Cheap periodic safety net: start a drain if anything is due (stored while job storage was down, or its backoff is over).</summary>
    [JobDisplayName("Sweep the webhook inbox for anything unprocessed")]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (await _store.AnyDueAsync(cancellationToken))
        {
            _trigger.Signal();
        }
    }

    private async Task<(int Count, long LastId)> ProcessBatchAsync(long after, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        var drained = await InboxLadder.RunAsync(async processing =>
        {
            await using var batch = await _ledger.BeginAsync(cancellationToken);
            var drained = await DrainBatchAsync(batch, after, processing, cancellationToken);
            if (drained.Count > 0)
            {
                await batch.CompleteAsync(cancellationToken);
            }

            return drained;
        }, Processing.EachAlone, (_, ex) => LogBatchIsolated(ex));

        if (drained.Count == 0)
        {
            return (0, after);
        }

        InboxMetrics.DrainBatchDuration.Record(_clock.GetElapsedTime(started).TotalMilliseconds);
        InboxMetrics.Processed.Add(drained.Count);
        _processor.StartPolls(drained.PollNow);
        return (drained.Count, drained.LastId);
    }

    /// <summary>Claims and processes one batch inside the ledger batch's transaction; each event alone (in a savepoint) one rung down the ladder.</summary>
    private async Task<Drained> DrainBatchAsync(LedgerBatch batch, long after, Processing processing, CancellationToken cancellationToken)
    {
        var rows = await _store.ClaimAsync(batch, after, BatchSize);
        var drained = new Drained(rows.Count, rows.Count == 0 ? after : rows[^1].Id);
        if (rows.Count == 0)
        {
            return drained;
        }

        try
        {
            var marked = new List<Marked>(rows.Count);
            foreach (var row in rows)
            {
                marked.Add(await _processor.ProcessAsync(batch, row, isolate: processing == Processing.EachAlone, drained.PollNow, cancellationToken));
            }

            await _store.MarkAsync(batch, marked);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new RecordingFailedException(ex);
        }

        return drained;
    }

    private sealed record Drained(int Count, long LastId)
    {
        public List<CheckRef> PollNow { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A drain batch failed; processing it again one event at a time")]
    private partial void LogBatchIsolated(Exception exception);
}
