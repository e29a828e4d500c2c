using System.Collections.Frozen;
using Hangfire;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// Turns stored webhook events into evidence inside a ledger batch. The inbox writer processes each new
/// delivery in the group commit that stores it, so its evidence is on disk before the 2xx; the drain
/// processes whatever that left (an event whose recording failed, a replay, deliveries stored before a
/// restart). Idempotent: an event processed twice yields the same evidence once.
/// </summary>
internal sealed partial class InboxProcessor(IEnumerable<IWebhookSource> sources, IBackgroundJobClient jobs, TimeProvider clock, ILogger<InboxProcessor> logger)
{
    /// <summary>
    /// How long an event whose mapping or recording threw waits before each next attempt; after the last
    /// one it is failed (about 2 h 46 min after the first). A storage outage counts no attempt at all.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> RetryDelays =
        [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    /// <summary>Attempts before an event whose mapping or recording keeps throwing is failed.</summary>
    public static int MaxAttempts => RetryDelays.Count + 1;

    private readonly FrozenDictionary<string, IWebhookSource> _sources = sources.ToFrozenDictionary(s => s.Provider);

    /// <summary>Maps an event outside any transaction; null when its provider's mapping threw (the drain tries again, counting attempts).</summary>
    public InboxOutcome? TryMap(StoredEvent stored) => Map(stored).Outcome;

    /// <summary>Maps and records one stored event; returns the state and note it should be marked with.</summary>
    public async Task<Marked> ProcessAsync(LedgerBatch batch, StoredRow row, bool isolate, List<CheckRef> pollNow, CancellationToken cancellationToken)
    {
        var (outcome, error) = Map(new StoredEvent(row.Id, row.Provider, row.EventId, row.EventType, row.Body, DateTimeOffset.FromUnixTimeMilliseconds(row.ReceivedAt)));
        if (outcome is null)
        {
            LogMapFailed(error!, row.Provider, row.EventId);
            return Failure(row, "could not be read", error!);
        }

        return await RecordAsync(batch, row, outcome, isolate, pollNow, cancellationToken);
    }

    /// <summary>The provider's mapping, or what it threw; an event of an unknown provider is ignored.</summary>
    private (InboxOutcome? Outcome, Exception? Error) Map(StoredEvent stored)
    {
        if (!_sources.TryGetValue(stored.Provider, out var source))
        {
            return (InboxOutcome.Ignored($"no handler for provider '{stored.Provider}'"), null);
        }

        try
        {
            return (source.Map(stored), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, ex);
        }
    }

    /// <summary>
    /// Records what an event was mapped to. With <paramref name="isolate"/>, its writes are undone alone when
    /// recording throws and it is marked for another attempt; without, the exception ends the whole batch.
    /// </summary>
    public async Task<Marked> RecordAsync(LedgerBatch batch, StoredRow row, InboxOutcome outcome, bool isolate, List<CheckRef> pollNow, CancellationToken cancellationToken)
    {
        if (Expected(outcome) is { State: not InboxState.Processed } final)
        {
            // Ignored, or observations the ledger cannot take: the same body maps to the same values every time, so retrying cannot help.
            return final with { Id = row.Id };
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
            catch (Exception ex) when (!StorageFaults.IsTransient(ex))
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
        return new Marked(row.Id, InboxState.Processed, null);
    }

    /// <summary>
    /// Records the outcomes of many events in one go (a few statements for all their observations); any
    /// exception ends the whole batch, which the caller then records event by event.
    /// </summary>
    public async Task RecordTogetherAsync(LedgerBatch batch, IReadOnlyList<InboxOutcome> outcomes, List<CheckRef> pollNow, CancellationToken cancellationToken)
    {
        var recorded = outcomes.Where(o => Expected(o).State == InboxState.Processed).ToList();
        await batch.RecordAsync(recorded.SelectMany(o => o.Observations).ToList(), cancellationToken);
        foreach (var outcome in recorded)
        {
            if (outcome.Rechecks is { Count: > 0 } rechecks)
            {
                await batch.RecheckAsync(rechecks, cancellationToken);
            }

            pollNow.AddRange(outcome.PollNow);
        }
    }

    /// <summary>The state an event mapped to <paramref name="outcome"/> reaches unless recording throws.</summary>
    public static Marked Expected(InboxOutcome outcome) =>
        outcome.IgnoredBecause is { } reason ? new Marked(0, InboxState.Ignored, reason)
        : outcome.Observations.Select(o => o.Problem()).FirstOrDefault(p => p is not null) is { } unusable ? new Marked(0, InboxState.Failed, $"could not be recorded: {unusable}")
        : new Marked(0, InboxState.Processed, null);

    /// <summary>After the commit: a poll started inside the transaction could run before, or without, the event's own writes.</summary>
    public void StartPolls(List<CheckRef> checks)
    {
        foreach (var (slug, checkId) in checks)
        {
            jobs.Enqueue<CheckJob>(job => job.RunAsync(slug, checkId, CancellationToken.None));
        }
    }

    /// <summary>Counts up the event's attempts: it waits in the queue for its next one until the last, then it is failed.</summary>
    private Marked Failure(StoredRow row, string what, Exception ex)
    {
        var attempt = row.Attempts + 1;
        if (attempt >= MaxAttempts)
        {
            return new Marked(row.Id, InboxState.Failed, $"{what} after {attempt} attempts: {ex.Message}");
        }

        var next = clock.GetUtcNow() + RetryDelays[attempt - 1];
        return new Marked(row.Id, InboxState.Received, $"attempt {attempt} failed: {ex.Message}", next.ToUnixTimeMilliseconds());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not process {Provider} event {EventId}")]
    private partial void LogMapFailed(Exception exception, string provider, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {Provider} event {EventId} (attempt {Attempt}); the rest of its batch goes on")]
    private partial void LogRecordFailed(Exception exception, string provider, string eventId, int attempt);
}

/// <summary>An inbox row as the processor needs it.</summary>
internal sealed class StoredRow
{
    public long Id { get; set; }
    public string Provider { get; set; } = "";
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    public string Body { get; set; } = "";
    public long ReceivedAt { get; set; }
    public int Attempts { get; set; }
}

/// <summary>The state an inbox row is left in after processing, and why.</summary>
internal sealed record Marked(long Id, InboxState State, string? Note, long NextAttemptAt = 0);
