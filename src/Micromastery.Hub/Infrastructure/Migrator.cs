using System.Data.Common;
using Dapper;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Applies the numbered SQL scripts embedded under Infrastructure/Migrations/{Provider}/ in order,
/// each in its own transaction, and records them in schema_migrations. Several hub processes may
/// start at once on PostgreSQL: a session advisory lock lets one of them migrate at a time.
/// </summary>
/// <remarks>
/// Versions need only increase; there is no 002. It was never written, and renumbering 003 now would make
/// every database that recorded 003 run the email tables' script a second time.
/// </remarks>
internal sealed partial class Migrator(HubDatabase database, ILogger<Migrator> logger)
{
    private const long PostgresLockKey = 0x4d6d487562; // "MmHub"

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts(StorageProvider provider)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Infrastructure.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^4];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (Version: int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture), Name: name, Sql: reader.ReadToEnd());
            })
            .OrderBy(s => s.Version)
            .ToList();
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Provider == StorageProvider.Sqlite)
        {
            // WAL lets readers (the API, the dashboard) run beside the single writer; it is a property of the file.
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
            await MigrateOnAsync(connection, cancellationToken);
            return;
        }

        // The whole run under one session lock, from the bookkeeping table on: hubs starting together on an empty
        // database would otherwise race to create it (a duplicate-key error in the server's log).
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = PostgresLockKey });
        try
        {
            await MigrateOnAsync(connection, cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = PostgresLockKey });
        }
    }

    private async Task MigrateOnAsync(DbConnection connection, CancellationToken cancellationToken)
    {

        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)");
        foreach (var script in Scripts(database.Provider))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

            var applied = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE version = @v", new { v = script.Version }, transaction);
            if (applied > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(script.Sql, transaction: transaction);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)",
                new { v = script.Version, n = script.Name, t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            await transaction.CommitAsync(cancellationToken);
            LogApplied(script.Name, database.Provider);
        }
    }

    /// <summary>Current schema version, for health and diagnostics.</summary>
    public static async Task<int> VersionAsync(DbConnection connection) =>
        await connection.ExecuteScalarAsync<int?>("SELECT max(version) FROM schema_migrations") ?? 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Name} on {Provider}")]
    private partial void LogApplied(string name, StorageProvider provider);
}
