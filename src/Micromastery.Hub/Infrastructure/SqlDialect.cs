namespace Micromastery.Hub.Infrastructure;

/// <summary>The few places where the hub's SQL differs between SQLite and PostgreSQL, kept beside the storage code.</summary>
internal sealed class SqlDialect(StorageProvider provider)
{
    /// <summary>
    /// Appended to a SELECT that claims rows to work on: concurrent claimers skip each other's rows on
    /// PostgreSQL; SQLite has one writer at a time, so there is nothing to skip.
    /// </summary>
    public string ClaimRows => provider == StorageProvider.Postgres ? " FOR UPDATE SKIP LOCKED" : "";

    /// <summary>A <paramref name="column"/> matching any value of a list parameter: Npgsql sends the list as an array, Dapper expands it for SQLite.</summary>
    public string AnyOf(string column, string parameter) =>
        provider == StorageProvider.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>
    /// Whether the same query over each of several keys (a micromastery's newest evidence, its plan days) is one
    /// LATERAL join over arrays of keys: PostgreSQL plans it once, where a UNION ALL of a branch per key cost more to
    /// plan than to run on every request. SQLite has no LATERAL, and prepares the UNION ALL cheaply.
    /// </summary>
    public bool KeysAsArrays => provider == StorageProvider.Postgres;
}
