using Microsoft.Data.Sqlite;
using Npgsql;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Tells a storage outage (the database locked, read-only, full, down, slow) from a failure of the data
/// written: an outage passes by itself, so work that met one is retried later and never counted against
/// the work; a failure of the data (a constraint it breaks) is the work's own and comes back every time.
/// </summary>
internal static class StorageFaults
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        OperationCanceledException or TimeoutException => true,
        SqliteException sqlite => IsTransientSqlite(sqlite.SqliteErrorCode),
        PostgresException postgres => IsTransientPostgres(postgres.SqlState),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.IO.IOException or System.Net.Sockets.SocketException or TimeoutException,
        { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    /// <summary>A short reason for a person (health, logs): what kind of outage, never a connection string.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 8 } => "the SQLite file is read-only",
        SqliteException { SqliteErrorCode: 5 or 6 } => "the SQLite file is locked by another writer",
        SqliteException { SqliteErrorCode: 13 } => "the disk is full",
        SqliteException { SqliteErrorCode: 14 } => "the SQLite file cannot be opened",
        SqliteException { SqliteErrorCode: 10 } => "disk I/O error",
        PostgresException { SqlState: "25006" } => "PostgreSQL is read-only",
        PostgresException { SqlState: "53100" } => "PostgreSQL's disk is full",
        PostgresException p when p.SqlState.StartsWith("57P", StringComparison.Ordinal) => "PostgreSQL is shutting down or refuses connections",
        PostgresException p => $"PostgreSQL error {p.SqlState}",
        NpgsqlException => "PostgreSQL unreachable",
        OperationCanceledException or TimeoutException => "storage did not answer in time",
        { InnerException: { } inner } => Describe(inner),
        _ => exception.GetType().Name,
    };

    // BUSY, LOCKED, NOMEM, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL.
    private static bool IsTransientSqlite(int code) => (code & 0xff) is 5 or 6 or 7 or 8 or 10 or 13 or 14 or 15;

    // Connection (08), resources (53), operator intervention (57), system errors (58), serialization and deadlock (40),
    // a read-only transaction (25006, a standby or default_transaction_read_only) and a lock wait given up (55P03).
    private static bool IsTransientPostgres(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal) ||
        state.StartsWith("57", StringComparison.Ordinal) || state.StartsWith("58", StringComparison.Ordinal) ||
        state.StartsWith("40", StringComparison.Ordinal) || state is "25006" or "55P03";
}
