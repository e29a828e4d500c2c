using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Opens connections to the hub's own database: one SQLite file by default, or PostgreSQL.
/// The schema is written so that the same SQL runs on both (integers for times and flags).
/// </summary>
internal sealed class HubDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;
    private readonly string _sqlitePragmas;
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    public HubDatabase(IOptions<StorageOptions> options, IConfiguration configuration, IHostEnvironment environment)
    {
        var storage = options.Value;
        Provider = storage.Provider;
        Dialect = new SqlDialect(Provider);
        var connectionString = configuration.GetConnectionString("Hub");
        if (Provider == StorageProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new OptionsValidationException("ConnectionStrings:Hub", typeof(StorageOptions),
                    ["Storage:Provider is Postgres: set ConnectionStrings:Hub, e.g. Host=localhost;Database=hub;Username=hub;Password=..."]);
            }

            ConnectionString = connectionString;
            _postgres = NpgsqlDataSource.Create(connectionString);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var folder = Path.GetFullPath(storage.DataDirectory, environment.ContentRootPath);
                Directory.CreateDirectory(folder);
                connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "hub.db") }.ToString();
            }

            // Microsoft.Data.Sqlite retries a locked database until the command timeout: keep both waits the same.
            connectionString = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = storage.SqliteBusyTimeoutSeconds }.ToString();
            ConnectionString = connectionString;
            _sqlite = connectionString;
        }

        // FULL: a commit is on disk before the webhook is acknowledged (NORMAL can lose the last commits on power loss).
        // SqliteCheckpointer copies the log in the background; SQLite's own checkpoint stays as a far backstop.
        _sqlitePragmas = $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={storage.SqliteBusyTimeoutSeconds * 1000}; PRAGMA foreign_keys=ON; " +
                         $"PRAGMA wal_autocheckpoint={SqliteAutoCheckpointPages}; PRAGMA journal_size_limit=67108864;";
    }

    /// <summary>Log pages at which a commit checkpoints by itself: only when the background checkpointer falls far behind (80 MB).</summary>
    public const int SqliteAutoCheckpointPages = 20_000;

    public StorageProvider Provider { get; }

    public SqlDialect Dialect { get; }

    public string ConnectionString { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqlite);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = _sqlitePragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                // SQLite fell back to read-only (the file refused writing): keep this connection out of the pool,
                // or the hub would go on refusing writes after the file is writable again, until a restart.
                SqliteConnection.ClearPool(connection);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens a write transaction. On SQLite, writers of this process queue here first: SQLite's own
    /// busy handler makes a waiting writer sleep in growing steps (up to 100 ms), which under webhook
    /// load costs far more than the wait itself. SQLite is the single-process mode, so a process-wide
    /// gate is enough; on PostgreSQL this is a plain transaction.
    /// </summary>
    public async Task<WriteTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        if (Provider == StorageProvider.Postgres)
        {
            return new WriteTransaction(await connection.BeginTransactionAsync(cancellationToken), null);
        }

        await _sqliteWriter.WaitAsync(cancellationToken);
        try
        {
            return new WriteTransaction(await connection.BeginTransactionAsync(cancellationToken), _sqliteWriter);
        }
        catch
        {
            _sqliteWriter.Release();
            throw;
        }
    }

    /// <summary>Runs <paramref name="action"/> while no writer of this process is inside a SQLite write transaction.</summary>
    public async Task<T> WhileNoWriterAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _sqliteWriter.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            _sqliteWriter.Release();
        }
    }

    /// <summary>
    /// A read-only transaction over one consistent snapshot, for reads that span several queries
    /// (otherwise a commit between them shows a verdict without its evidence).
    /// </summary>
    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true) // a deferred read takes no write lock
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _sqliteWriter.Dispose();
    }
}

/// <summary>A write transaction that gives the SQLite writer gate back when disposed.</summary>
internal sealed class WriteTransaction(DbTransaction transaction, SemaphoreSlim? gate) : IAsyncDisposable
{
    private int _released;

    public DbTransaction Transaction => transaction;

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await transaction.CommitAsync(cancellationToken);
        ChangeCounter.Committed(transaction);
    }

    public async ValueTask DisposeAsync()
    {
        ChangeCounter.Ended(transaction);
        await transaction.DisposeAsync();
        if (gate is not null && Interlocked.Exchange(ref _released, 1) == 0)
        {
            gate.Release();
        }
    }
}
