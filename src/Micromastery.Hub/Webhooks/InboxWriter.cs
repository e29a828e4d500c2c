using System.Threading.Channels;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Webhooks;

internal enum InboxWriteResult
{
    Stored,
    Duplicate,
}

internal sealed record InboxEvent(string Provider, string EventId, string EventType, string Body, InboxVia Via = InboxVia.Webhook)
{
    /// <summary>Longest event or delivery id stored: real ones are under 100 characters; PostgreSQL's unique index refuses a few thousand.</summary>
    public const int MaxIdLength = 255;

    /// <summary>Why an event with this id and type cannot be stored, or null; the text names the field.</summary>
    public static string? Problem(string eventId, string eventType) =>
        eventId.Length > MaxIdLength ? $"event id (delivery id) is {eventId.Length} characters; at most {MaxIdLength}"
        : eventType.Length > MaxIdLength ? $"event type is {eventType.Length} characters; at most {MaxIdLength}"
        : null;
}

/// <summary>The inbox cannot take events now (shutting down); the caller answers 503.</summary>
internal sealed class InboxUnavailableException(string message) : Exception(message);

/// <summary>
/// Group commit for webhook deliveries: requests queue their event here and wait; a writer takes
/// every event that is waiting, inserts them in one transaction together with the evidence they prove,
/// commits (fsynced), and only then releases the requests to answer 2xx. One fsync then covers many
/// deliveries under load while a lone delivery is still written at once; and an acknowledged event's
/// evidence is already on disk. Processing can never cost a delivery its place: a batch whose recording
/// throws is written again with each event recorded alone, and if even that fails the events are stored
/// unprocessed for <see cref="InboxDrainJob"/>.
/// </summary>
internal sealed partial class InboxWriter : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.Wait });

    private readonly InboxStore _store;
    private readonly PayoffLedger _ledger;
    private readonly InboxProcessor _processor;
    private readonly InboxDrainTrigger _trigger;
    private readonly TimeProvider _clock;
    private readonly ILogger<InboxWriter> _logger;
    private readonly int _batchSize;
    private readonly int _writers;

    public InboxWriter(HubDatabase database, InboxStore store, PayoffLedger ledger, InboxProcessor processor, InboxDrainTrigger trigger, IOptions<StorageOptions> options, TimeProvider clock, ILogger<InboxWriter> logger)
    {
        _store = store;
        _ledger = ledger;
        _processor = processor;
        _trigger = trigger;
        _clock = clock;
        _logger = logger;
        _batchSize = options.Value.InboxBatchSize;

        // SQLite has one writer at a time anyway; PostgreSQL commits several batches in parallel.
        _writers = database.Provider == StorageProvider.Sqlite ? 1 : 4;
    }

    private long _lastCommit;

    /// <summary>True while deliveries are streaming in: a commit finished within <paramref name="window"/>.</summary>
    public bool IsBusy(TimeSpan window) =>
        _clock.GetElapsedTime(Interlocked.Read(ref _lastCommit)) < window;

    /// <summary>Completes once the event is committed (or found already stored).</summary>
    public async Task<InboxWriteResult> WriteAsync(InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        if (InboxEvent.Problem(inboxEvent.EventId, inboxEvent.EventType) is { } problem)
        {
            // Kept out of the queue: in a batch it would fail every other delivery's commit.
            throw new ArgumentException(problem, nameof(inboxEvent));
        }

        // Mapped here, on the request's thread, so the single writer spends its time writing.
        var receivedAt = _clock.GetUtcNow();
        var outcome = _processor.TryMap(new StoredEvent(0, inboxEvent.Provider, inboxEvent.EventId, inboxEvent.EventType, inboxEvent.Body, receivedAt));
        var pending = new Pending(inboxEvent, receivedAt.ToUnixTimeMilliseconds(), outcome, new TaskCompletionSource<InboxWriteResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new InboxUnavailableException("the hub is shutting down");
        }

        // Not cancelled with the request: once queued, the event is written whether or not the caller still waits.
        return await pending.Done.Task;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _writers).Select(_ => Task.Run(WriteLoopAsync, CancellationToken.None)));

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_batchSize);

        // Runs until the channel is completed and empty, so queued requests are answered during shutdown.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _batchSize && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var started = _clock.GetTimestamp();
                var committed = await CommitAsync(batch);
                InboxMetrics.CommitEvents.Record(batch.Count);
                InboxMetrics.Processed.Add(committed.Processed);
                InboxMetrics.CommitDuration.Record(_clock.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Exchange(ref _lastCommit, _clock.GetTimestamp());
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(committed.Results[i]);
                }

                _processor.StartPolls(committed.PollNow);
                if (committed.Unprocessed > 0)
                {
                    SignalDrain();
                }
            }
            catch (Exception ex)
            {
                LogCommitFailed(ex, batch.Count);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>Stores and processes the batch; recording that throws is retried event by event, then left to the drain.</summary>
    private Task<Committed> CommitAsync(List<Pending> batch) =>
        InboxLadder.RunAsync(processing => StoreAsync(batch, processing), Processing.Deferred, (rung, ex) =>
        {
            if (rung == Processing.EachAlone)
            {
                LogProcessingIsolated(ex);
            }
            else
            {
                LogProcessingDeferred(ex);
            }
        });

    private async Task<Committed> StoreAsync(List<Pending> batch, Processing processing)
    {
        await using var ledger = await _ledger.BeginAsync(CancellationToken.None);
        var committed = new Committed(new InboxWriteResult[batch.Count]);

        // Unmapped (its mapping threw) or deferred: stored as received, for the drain, which maps it again and counts the attempts.
        var expected = batch.Select(p => processing == Processing.Deferred || p.Outcome is null ? null : InboxProcessor.Expected(p.Outcome)).ToArray();
        var ids = await _store.InsertAsync(ledger, [.. batch.Select((p, i) => new NewInboxRow(p.Event, p.ReceivedAt, expected[i]))]);
        var stored = new List<(StoredRow Row, InboxOutcome Outcome, Marked Expected)>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            committed.Results[i] = ids[i] is null ? InboxWriteResult.Duplicate : InboxWriteResult.Stored;
            if (ids[i] is not { } id)
            {
                continue;
            }

            if (expected[i] is not { } expectedState)
            {
                committed.Unprocessed++;
                continue;
            }

            var e = batch[i].Event;
            stored.Add((new StoredRow { Id = id, Provider = e.Provider, EventId = e.EventId, EventType = e.EventType, ReceivedAt = batch[i].ReceivedAt }, batch[i].Outcome!, expectedState));
        }

        try
        {
            var corrected = new List<Marked>();
            if (processing == Processing.Together)
            {
                await _processor.RecordTogetherAsync(ledger, stored.Select(s => s.Outcome).ToList(), committed.PollNow, CancellationToken.None);
            }
            else
            {
                foreach (var (row, outcome, expectedState) in stored)
                {
                    var result = await _processor.RecordAsync(ledger, row, outcome, isolate: true, committed.PollNow, CancellationToken.None);
                    if (result.State != expectedState.State)
                    {
                        corrected.Add(result);
                        committed.Unprocessed += result.State == InboxState.Received ? 1 : 0;
                    }
                }
            }

            await ledger.VerifyGivenAsync();
            await InboxStore.CorrectAsync(ledger, corrected);
        }
        catch (Exception ex)
        {
            throw new RecordingFailedException(ex);
        }

        await ledger.CompleteAsync(CancellationToken.None);
        return committed;
    }

    private void SignalDrain()
    {
        try
        {
            _trigger.Signal();
        }
        catch (Exception ex)
        {
            // The events are committed: the start-up and periodic sweeps will process them.
            LogTriggerFailed(ex);
        }
    }

    private sealed record Pending(InboxEvent Event, long ReceivedAt, InboxOutcome? Outcome, TaskCompletionSource<InboxWriteResult> Done);

    private sealed class Committed(InboxWriteResult[] results)
    {
        public InboxWriteResult[] Results { get; } = results;

        public List<CheckRef> PollNow { get; } = [];

        public int Unprocessed { get; set; }

        /// <summary>New events that left the commit processed, ignored or failed (not waiting for the drain).</summary>
        public int Processed => Results.Count(r => r == InboxWriteResult.Stored) - Unprocessed;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} webhook events; their requests are answered 503")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording a batch of webhook events failed; storing it again with each event recorded alone")]
    private partial void LogProcessingIsolated(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording webhook events failed (storage refused, or even one by one); storing them unprocessed for the drain")]
    private partial void LogProcessingDeferred(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored webhook events but could not enqueue processing; the sweep will pick them up")]
    private partial void LogTriggerFailed(Exception exception);
}
