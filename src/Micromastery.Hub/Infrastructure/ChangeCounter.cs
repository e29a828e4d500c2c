using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// A counter in the database (migration 030) that every change to what the public outputs show moves on, in the
/// transaction of the change: every hub on the same database can then tell that its cached pages are out of date
/// with one small read. The counter is the sum of a few rows, and a change adds one to a row chosen at random, so
/// concurrent PostgreSQL writers (the webhook group commit runs several) seldom wait on each other's row lock.
/// </summary>
internal static class ChangeCounter
{
    private const int Shards = 8;

    private static readonly ConditionalWeakTable<DbTransaction, object> s_pending = new();
    private static long s_localCommits;

    /// <summary>
    /// How many changes this process has committed. A reader that saw this number move reads the database before its
    /// next answer, so the process that made a change shows it on its next request; changes made by other hubs show
    /// within the reader's own polling interval.
    /// </summary>
    public static long LocalCommits => Interlocked.Read(ref s_localCommits);

    /// <summary>
    /// Counts a change; call it inside the change's own transaction — a <see cref="WriteTransaction"/>, whose commit
    /// then moves <see cref="LocalCommits"/> — or after the change's commit (<paramref name="transaction"/> null), never before.
    /// </summary>
    public static async Task BumpAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO change_counter (shard, version) VALUES (@shard, 1) ON CONFLICT (shard) DO UPDATE SET version = change_counter.version + 1",
            new { shard = Random.Shared.Next(Shards) }, transaction, cancellationToken: cancellationToken));
        if (transaction is null)
        {
            Interlocked.Increment(ref s_localCommits);
        }
        else
        {
            s_pending.AddOrUpdate(transaction, s_pending);
        }
    }

    /// <summary>After <paramref name="transaction"/> committed: a change counted in it is now visible to readers.</summary>
    internal static void Committed(DbTransaction transaction)
    {
        if (s_pending.Remove(transaction))
        {
            Interlocked.Increment(ref s_localCommits);
        }
    }

    /// <summary>A transaction ended without a commit (or is disposed): forget its change (providers reuse transaction objects).</summary>
    internal static void Ended(DbTransaction transaction) => s_pending.Remove(transaction);

    /// <summary>The counter now: it only grows, and it grows with every committed change.</summary>
    public static Task<long> ReadAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(coalesce(sum(version), 0) AS bigint) FROM change_counter", cancellationToken: cancellationToken));
}
