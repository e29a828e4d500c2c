using System.Data.Common;
using System.Threading.Channels;
using Micromastery.Hub.Infrastructure;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Webhooks;

public enum InboxWriteResult
{
    Stored,
    Duplicate,
}

public sealed record InboxEvent(string Provider, string EventId, string EventType, string Body)
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
public sealed class InboxUnavailableException(string message) : Exception(message);

/// <summary>
/// Group commit for webhook deliveries: requests queue their event here and wait; a writer takes
/// every event that is waiting, inserts them in one transaction, commits (fsynced), and only then
/// releases the requests to answer 2xx. One fsync then covers many deliveries under load while a
/// lone delivery is still written at once.
/// </summary>
public sealed partial class InboxWriter : BackgroundService
{
    private const string Insert =
        "INSERT INTO inbox_events (provider, event_id, event_type, received_at, body) VALUES (@p, @e, @t, @r, @b) " +
        "ON CONFLICT (provider, event_id) DO NOTHING";

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.Wait });

    private readonly HubDatabase _database;
    private readonly InboxDrainTrigger _trigger;
    private readonly TimeProvider _clock;
    private readonly ILogger<InboxWriter> _logger;
    private readonly int _batchSize;
    private readonly int _writers;

    public InboxWriter(HubDatabase database, InboxDrainTrigger trigger, IOptions<StorageOptions> options, TimeProvider clock, ILogger<InboxWriter> logger)
    {
        _database = database;
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

        var pending = new Pending(inboxEvent, new TaskCompletionSource<InboxWriteResult>(TaskCreationOptions.RunContinuationsAsynchronously));
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
                var stored = await CommitAsync(batch);
                InboxMetrics.CommitEvents.Record(batch.Count);
                InboxMetrics.CommitDuration.Record(_clock.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Exchange(ref _lastCommit, _clock.GetTimestamp());
                if (stored > 0)
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

    private async Task<int> CommitAsync(List<Pending> batch)
    {
        await using var connection = await _database.OpenAsync();
        await using var transaction = await _database.BeginWriteAsync(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction.Transaction;
        command.CommandText = Insert;
        var provider = AddParameter(command, "p");
        var eventId = AddParameter(command, "e");
        var eventType = AddParameter(command, "t");
        var receivedAt = AddParameter(command, "r");
        var body = AddParameter(command, "b");

        var results = new InboxWriteResult[batch.Count];
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var stored = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i].Event;
            provider.Value = e.Provider;
            eventId.Value = e.EventId;
            eventType.Value = e.EventType;
            receivedAt.Value = now;
            body.Value = e.Body;
            var inserted = await command.ExecuteNonQueryAsync() == 1;
            results[i] = inserted ? InboxWriteResult.Stored : InboxWriteResult.Duplicate;
            stored += inserted ? 1 : 0;
        }

        await transaction.CommitAsync();
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(results[i]);
        }

        return stored;
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

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private sealed record Pending(InboxEvent Event, TaskCompletionSource<InboxWriteResult> Done);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} webhook events; their requests are answered 503")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored webhook events but could not enqueue processing; the sweep will pick them up")]
    private partial void LogTriggerFailed(Exception exception);
}
