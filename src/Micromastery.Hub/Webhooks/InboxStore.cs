using System.Text;
using Dapper;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Webhooks;

/// <summary>What the inbox page filters by; every part optional. Times are the received time, Unix milliseconds.</summary>
public sealed record InboxFilter(string? Provider, InboxState? State, long? From, long? To, InboxVia? Via = null)
{
    public static InboxFilter All { get; } = new(null, null, null, null);
}

public sealed record InboxEventSummary(long Id, string Provider, string EventId, string EventType, DateTimeOffset ReceivedAt, InboxState State, int Attempts, string? Note, InboxVia Via = InboxVia.Webhook);

public sealed record InboxEventDetail(InboxEventSummary Event, string Body, DateTimeOffset? ProcessedAt, IReadOnlyList<InboxReplay> Replays);

public sealed record InboxReplay(DateTimeOffset At, string By, InboxState PreviousState, string? PreviousNote);

/// <summary>
/// The webhook inbox's table and states, in one place: the queue side (store, claim, mark; see
/// InboxStore.Queue.cs) and the owner's side here — keyset pages on the id (newest first), so a page costs
/// the same with ten events or ten million, and replays, which reset an event to received and signal the
/// drain, so it takes the same path as a new delivery.
/// </summary>
internal sealed partial class InboxStore(HubDatabase database, InboxDrainTrigger drain, TimeProvider clock)
{
    public const int PageSize = 50;

    /// <summary>Up to <paramref name="limit"/> events older than <paramref name="before"/> (an id), newest first.</summary>
    public async Task<IReadOnlyList<InboxEventSummary>> PageAsync(InboxFilter filter, long? before, int limit, CancellationToken ct)
    {
        var (where, parameters) = Where(filter);
        if (before is { } id)
        {
            where += " AND id < @before";
            parameters.Add("before", id);
        }

        parameters.Add("limit", limit);
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM inbox_events WHERE {where} ORDER BY id DESC LIMIT @limit",
            parameters, cancellationToken: ct));
        return [.. rows.Select(r => r.ToSummary())];
    }

    public async Task<InboxEventDetail?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns}, body AS Body, processed_at AS ProcessedAt FROM inbox_events WHERE id = @id", new { id }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        var replays = await connection.QueryAsync<ReplayRow>(new CommandDefinition(
            "SELECT replayed_at AS At, replayed_by AS By, previous_state AS PreviousState, previous_note AS PreviousNote FROM inbox_replays WHERE inbox_event_id = @id ORDER BY id DESC",
            new { id }, cancellationToken: ct));
        return new InboxEventDetail(row.ToSummary(), row.Body, row.ProcessedAt is { } p ? DateTimeOffset.FromUnixTimeMilliseconds(p) : null,
            [.. replays.Select(r => new InboxReplay(DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.By, (InboxState)r.PreviousState, r.PreviousNote))]);
    }

    /// <summary>Puts one event back in the queue; null when there is no such event, else the state it had.</summary>
    public async Task<InboxState?> ReplayAsync(long id, string by, CancellationToken ct)
    {
        var replayed = await ReplayWhereAsync("id = @id", new DynamicParameters(new { id }), by, ct);
        return replayed.Count == 0 ? null : replayed[0];
    }

    /// <summary>Puts every failed event matching <paramref name="filter"/> back in the queue; returns how many.</summary>
    public async Task<int> ReplayFailedAsync(InboxFilter filter, string by, CancellationToken ct)
    {
        var (where, parameters) = Where(filter with { State = InboxState.Failed });
        return (await ReplayWhereAsync(where, parameters, by, ct)).Count;
    }

    private async Task<IReadOnlyList<InboxState>> ReplayWhereAsync(string where, DynamicParameters parameters, string by, CancellationToken ct)
    {
        parameters.Add("by", by);
        parameters.Add("now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        List<InboxState> states;
        await using (var connection = await database.OpenAsync(ct))
        await using (var write = await database.BeginWriteAsync(connection, ct))
        {
            // Recorded first, from the rows as they were; then reset: attempts start again, as for a new delivery.
            states = [.. (await connection.QueryAsync<int>(
                $"INSERT INTO inbox_replays (inbox_event_id, replayed_at, replayed_by, previous_state, previous_note) " +
                $"SELECT id, @now, @by, state, note FROM inbox_events WHERE {where} RETURNING previous_state", parameters, write.Transaction)).Select(s => (InboxState)s)];
            parameters.Add("received", (int)InboxState.Received);
            await connection.ExecuteAsync($"UPDATE inbox_events SET state = @received, attempts = 0, next_attempt_at = 0, note = NULL, processed_at = NULL WHERE {where}", parameters, write.Transaction);
            await write.CommitAsync(ct);
        }

        if (states.Count > 0)
        {
            drain.Signal();
        }

        return states;
    }

    private const string Columns =
        "id AS Id, provider AS Provider, event_id AS EventId, event_type AS EventType, received_at AS ReceivedAt, state AS State, attempts AS Attempts, note AS Note, via AS Via";

    private static (string Where, DynamicParameters Parameters) Where(InboxFilter filter)
    {
        var sql = new StringBuilder("1 = 1");
        var parameters = new DynamicParameters();
        if (filter.Provider is { Length: > 0 } provider)
        {
            sql.Append(" AND provider = @provider");
            parameters.Add("provider", provider);
        }

        if (filter.State is { } state)
        {
            sql.Append(" AND state = @state");
            parameters.Add("state", (int)state);
        }

        if (filter.Via is { } via)
        {
            sql.Append(" AND via = @via");
            parameters.Add("via", (int)via);
        }

        if (filter.From is { } from)
        {
            sql.Append(" AND received_at >= @from");
            parameters.Add("from", from);
        }

        if (filter.To is { } to)
        {
            sql.Append(" AND received_at < @to");
            parameters.Add("to", to);
        }

        return (sql.ToString(), parameters);
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string Provider { get; set; } = "";
        public string EventId { get; set; } = "";
        public string EventType { get; set; } = "";
        public long ReceivedAt { get; set; }
        public int State { get; set; }
        public int Attempts { get; set; }
        public string? Note { get; set; }
        public int Via { get; set; }
        public string Body { get; set; } = "";
        public long? ProcessedAt { get; set; }

        public InboxEventSummary ToSummary() =>
            new(Id, Provider, EventId, EventType, DateTimeOffset.FromUnixTimeMilliseconds(ReceivedAt), (InboxState)State, Attempts, Note, (InboxVia)Via);
    }

    private sealed class ReplayRow
    {
        public long At { get; set; }
        public string By { get; set; } = "";
        public int PreviousState { get; set; }
        public string? PreviousNote { get; set; }
    }
}
