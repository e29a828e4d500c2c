using System.Data.Common;
using Dapper;

namespace Micromastery.Hub.Payoffs;

/// <summary>What the source said when asked again about one piece of evidence.</summary>
internal static class RecheckStates
{
    /// <summary>The object is still there and still proves the check.</summary>
    public const string Confirmed = "confirmed";

    /// <summary>The object no longer proves the check: deleted, fully refunded, cancelled, unpublished, no longer a success.</summary>
    public const string Gone = "gone";

    /// <summary>The object is there and still proves the check, but differs from what was recorded (a partial refund, another run attempt).</summary>
    public const string Changed = "changed";

    /// <summary>The source could not be asked (error, timeout, rate limit): no answer either way, never read as gone.</summary>
    public const string Unknown = "unknown";

    /// <summary>The source cannot be asked about this object (a feed that rotated an old item out): never gone.</summary>
    public const string NotRecheckable = "not re-checkable";
}

/// <summary>A source's answer about one observed object, from a re-check or a revoking webhook.</summary>
/// <param name="Detail">What the source said, for a person (e.g. "fully refunded").</param>
internal sealed record Recheck(string Source, string Kind, string ExternalId, string State, string? Detail);

/// <summary>Writes re-check answers against the observations they are about; an unknown object is no evidence and is skipped.</summary>
internal static class RecheckStore
{
    /// <summary>Records <paramref name="recheck"/> at <paramref name="now"/>; returns false when the hub never observed the object.</summary>
    public static async Task<bool> WriteAsync(DbConnection connection, DbTransaction? transaction, Recheck recheck, long now)
    {
        var observationId = await connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM observations WHERE source = @Source AND kind = @Kind AND external_id = @ExternalId", recheck, transaction);
        if (observationId is not { } id)
        {
            return false;
        }

        var confirmed = recheck.State == RecheckStates.Confirmed ? now : (long?)null;
        const string stateSql = "SELECT state AS State, confirmed_at AS ConfirmedAt FROM evidence_rechecks WHERE observation_id = @id";
        var before = await connection.QuerySingleOrDefaultAsync<StoredAnswer>(stateSql, new { id }, transaction);

        // An unknown answer never overwrites gone or changed, and keeps when the source last confirmed: an outage proves nothing.
        var sql = recheck.State == RecheckStates.Unknown
            ? "INSERT INTO evidence_rechecks (observation_id, state, detail, checked_at, confirmed_at) VALUES (@id, @State, @Detail, @now, NULL) " +
              "ON CONFLICT (observation_id) DO UPDATE SET checked_at = excluded.checked_at, " +
              "detail = CASE WHEN evidence_rechecks.state IN ('gone', 'changed') THEN evidence_rechecks.detail ELSE excluded.detail END, " +
              "state = CASE WHEN evidence_rechecks.state IN ('gone', 'changed') THEN evidence_rechecks.state ELSE excluded.state END"
            : "INSERT INTO evidence_rechecks (observation_id, state, detail, checked_at, confirmed_at) VALUES (@id, @State, @Detail, @now, @confirmed) " +
              "ON CONFLICT (observation_id) DO UPDATE SET state = excluded.state, detail = excluded.detail, checked_at = excluded.checked_at, " +
              "confirmed_at = COALESCE(excluded.confirmed_at, evidence_rechecks.confirmed_at)";
        await connection.ExecuteAsync(sql, new { id, recheck.State, recheck.Detail, now, confirmed }, transaction);
        var after = await connection.QuerySingleAsync<StoredAnswer>(stateSql, new { id }, transaction);
        await EvidenceSummaries.RecheckedAsync(connection, transaction, id, before?.State, before?.ConfirmedAt, after.State, after.ConfirmedAt);
        return true;
    }

    private sealed class StoredAnswer
    {
        public string State { get; set; } = "";
        public long? ConfirmedAt { get; set; }
    }
}
