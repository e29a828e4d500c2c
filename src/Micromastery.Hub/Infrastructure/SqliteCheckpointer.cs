using System.Data.Common;
using Dapper;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Copies SQLite's write-ahead log into the database file in the background. Left to SQLite, that happens
/// inside whichever commit crosses <see cref="HubDatabase.SqliteAutoCheckpointPages"/>: under a webhook
/// stream that is the inbox's group commit, twelve times a second at 2,000 deliveries a second, and every
/// delivery waiting on it waits for the copy and the database file's fsync too. Here a PASSIVE checkpoint
/// copies the log while writers go on; once the log is large, a second pass under the writer gate copies the
/// few frames written meanwhile, so the next commit starts the log from its beginning (SQLite only rewinds a
/// log that is fully copied). Durability is unchanged: a commit is durable once its log frames are fsynced.
/// </summary>
internal sealed partial class SqliteCheckpointer(HubDatabase database, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    /// <summary>Log frames (pages) from which the log is rewound: 16 MB of 4 KB pages.</summary>
    private const long RewindFrames = 4_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Provider != StorageProvider.Sqlite)
        {
            return;
        }

        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var (_, frames, copied) = await PassiveAsync(connection);
            if (frames >= RewindFrames && copied >= frames - RewindFrames / 4)
            {
                // Brief: only what was committed during the pass above is left to copy.
                await database.WhileNoWriterAsync(() => PassiveAsync(connection), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next tick tries again; the log only grows meanwhile (SQLite's own checkpoint bounds it), nothing is lost.
            LogCheckpointFailed(ex);
        }
    }

    private static async Task<(long Busy, long Frames, long Copied)> PassiveAsync(DbConnection connection) =>
        await connection.QuerySingleAsync<(long, long, long)>("PRAGMA wal_checkpoint(PASSIVE)");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not checkpoint the SQLite write-ahead log; trying again shortly")]
    private partial void LogCheckpointFailed(Exception exception);
}
