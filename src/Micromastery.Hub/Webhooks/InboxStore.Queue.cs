using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Webhooks;

/// <summary>An event to store, with the state the group commit expects to leave it in (null: stored as received, for the drain).</summary>
internal sealed record NewInboxRow(InboxEvent Event, long ReceivedAt, Marked? Expected);

/// <summary>The inbox as a queue: every write of an event's state goes through here, inside the caller's ledger batch.</summary>
internal sealed partial class InboxStore
{
    private static readonly string[] InsertColumns = ["provider", "event_id", "event_type", "received_at", "body", "state", "note", "processed_at", "attempts", "via"];

    /// <summary>Inserts new events; returns each one's row id, or null when it was stored already (or earlier in this list).</summary>
    public async Task<long?[]> InsertAsync(LedgerBatch ledger, IReadOnlyList<NewInboxRow> batch)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = new List<object?[]>(batch.Count);
        foreach (var (e, receivedAt, expected) in batch)
        {
            // Stored with its expected state, so the common case costs no second statement; an attempt is counted for it.
            rows.Add([e.Provider, e.EventId, e.EventType, receivedAt, e.Body, (int)(expected?.State ?? InboxState.Received), expected?.Note,
                expected is null ? null : now, expected is null ? 0 : 1, (int)e.Via]);
        }

        var inserted = new Dictionary<(string, string), long>();
        foreach (var row in await BulkInsert.RunAsync(ledger.Connection, ledger.Transaction, database.Provider, "inbox_events", InsertColumns,
                     "ON CONFLICT (provider, event_id) DO NOTHING RETURNING id, provider, event_id", rows))
        {
            inserted[((string)row[1], (string)row[2])] = Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        var ids = new long?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            // Remove: a second delivery of the same event in this list is a duplicate of the first.
            if (inserted.Remove((batch[i].Event.Provider, batch[i].Event.EventId), out var id))
            {
                ids[i] = id;
            }
        }

        return ids;
    }

    /// <summary>Claims up to <paramref name="limit"/> received events whose next attempt is due, oldest first, after id <paramref name="after"/>.</summary>
    public async Task<List<StoredRow>> ClaimAsync(LedgerBatch ledger, long after, int limit)
    {
        var rows = await ledger.Connection.QueryAsync<StoredRow>(
            "SELECT id AS Id, provider AS Provider, event_id AS EventId, event_type AS EventType, body AS Body, received_at AS ReceivedAt, attempts AS Attempts " +
            "FROM inbox_events WHERE state = @received AND id > @after AND next_attempt_at <= @now ORDER BY id LIMIT @limit" + database.Dialect.ClaimRows,
            new { received = (int)InboxState.Received, after, now = clock.GetUtcNow().ToUnixTimeMilliseconds(), limit }, ledger.Transaction);
        return rows.AsList();
    }

    /// <summary>Writes the states of processed events, counting an attempt each; processed ones (the common case) in one statement.</summary>
    public async Task MarkAsync(LedgerBatch ledger, IReadOnlyList<Marked> marked)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var processed = new List<long>(marked.Count);
        foreach (var m in marked)
        {
            if (m.State == InboxState.Processed)
            {
                processed.Add(m.Id);
                continue;
            }

            await ledger.Connection.ExecuteAsync(
                "UPDATE inbox_events SET state = @state, note = @note, processed_at = @now, attempts = attempts + 1, next_attempt_at = @next WHERE id = @id",
                new { state = (int)m.State, note = m.Note, now, next = m.NextAttemptAt, id = m.Id }, ledger.Transaction);
        }

        if (processed.Count > 0)
        {
            await ledger.Connection.ExecuteAsync(
                $"UPDATE inbox_events SET state = @state, processed_at = @now, attempts = attempts + 1 WHERE {database.Dialect.AnyOf("id", "ids")}",
                new { state = (int)InboxState.Processed, now, ids = processed.ToArray() }, ledger.Transaction);
        }
    }

    /// <summary>Events inserted with their expected state whose recording then failed: their attempt is already counted.</summary>
    public static async Task CorrectAsync(LedgerBatch ledger, IReadOnlyList<Marked> corrected)
    {
        foreach (var m in corrected)
        {
            await ledger.Connection.ExecuteAsync(
                "UPDATE inbox_events SET state = @state, note = @note, next_attempt_at = @next WHERE id = @id",
                new { state = (int)m.State, note = m.Note, next = m.NextAttemptAt, id = m.Id }, ledger.Transaction);
        }
    }

    /// <summary>Whether any received event's next attempt is due: the sweep's cheap question.</summary>
    public async Task<bool> AnyDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var waiting = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT min(id) FROM inbox_events WHERE state = @received AND next_attempt_at <= @now",
            new { received = (int)InboxState.Received, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return waiting is not null;
    }
}
