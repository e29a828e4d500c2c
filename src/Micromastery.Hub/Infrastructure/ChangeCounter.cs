using System.Data.Common;
using System.Diagnostics;
using Dapper;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// A counter in the database (migration 030) that every change to what the public outputs show moves on, in the
/// transaction of the change: every hub on the same database can then tell that its cached pages are out of date
/// with one small read. The counter is the sum of a few rows, and a change adds one to a row chosen at random, so
/// concurrent PostgreSQL writers (the webhook group commit runs several) seldom wait on each other's row lock.
/// </summary>
public static class ChangeCounter
{
    private const int Shards = 8;

    private static long s_localChangeAt = long.MinValue;

    /// <summary>
    /// The timestamp (<see cref="Stopwatch"/>) of the last change this process made. Readers look at the database
    /// on every request for a while after one, so the process that made a change shows it on its next request.
    /// </summary>
    public static long LocalChangeAt => Interlocked.Read(ref s_localChangeAt);

    /// <summary>Counts a change; call it inside the change's own transaction (or after the change's commit, never before).</summary>
    public static async Task BumpAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO change_counter (shard, version) VALUES (@shard, 1) ON CONFLICT (shard) DO UPDATE SET version = change_counter.version + 1",
            new { shard = Random.Shared.Next(Shards) }, transaction, cancellationToken: cancellationToken));
        Interlocked.Exchange(ref s_localChangeAt, Stopwatch.GetTimestamp());
    }

    /// <summary>The counter now: it only grows, and it grows with every committed change.</summary>
    public static Task<long> ReadAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(coalesce(sum(version), 0) AS bigint) FROM change_counter", cancellationToken: cancellationToken));
}
