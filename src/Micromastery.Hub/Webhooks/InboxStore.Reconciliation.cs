using Dapper;

namespace Micromastery.Hub.Webhooks;

/// <summary>The inbox's answers to reconciliation and to the "never received by webhook" counts.</summary>
internal sealed partial class InboxStore
{
    /// <summary>Which of <paramref name="eventIds"/> the inbox holds for <paramref name="provider"/>, however they arrived.</summary>
    public async Task<IReadOnlySet<string>> KnownAsync(string provider, IReadOnlyCollection<string> eventIds, CancellationToken ct)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        if (eventIds.Count == 0)
        {
            return known;
        }

        await using var connection = await database.OpenAsync(ct);
        // In chunks: SQLite caps the parameters of one statement.
        foreach (var chunk in eventIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            known.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT event_id FROM inbox_events WHERE provider = @provider AND {database.Dialect.AnyOf("event_id", "ids")}",
                new { provider, ids = chunk }, cancellationToken: ct)));
        }

        return known;
    }

    /// <summary>When the provider's log was last asked in full, or null when never.</summary>
    public async Task<DateTimeOffset?> ReconciledAtAsync(string provider, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var at = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT asked_at FROM inbox_reconciliations WHERE provider = @provider", new { provider }, cancellationToken: ct));
        return at is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Records that the provider's log was asked in full at <paramref name="at"/> and what it missed is stored.</summary>
    public async Task ReconciledAsync(string provider, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var write = await database.BeginWriteAsync(connection, ct);
        await connection.ExecuteAsync(
            "INSERT INTO inbox_reconciliations (provider, asked_at) VALUES (@provider, @at) ON CONFLICT (provider) DO UPDATE SET asked_at = excluded.asked_at",
            new { provider, at = at.ToUnixTimeMilliseconds() }, write.Transaction);
        await write.CommitAsync(ct);
    }

    /// <summary>Per provider, the events recovered from its own log (never received by webhook) since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RecoveredSinceAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Provider, long Count)>(new CommandDefinition(
            "SELECT provider, count(*) FROM inbox_events WHERE via = @via AND received_at >= @since GROUP BY provider",
            new { via = (int)InboxVia.Reconciliation, since = since.ToUnixTimeMilliseconds() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Provider, r => r.Count, StringComparer.Ordinal);
    }
}
