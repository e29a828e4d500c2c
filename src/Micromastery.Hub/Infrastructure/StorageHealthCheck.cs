using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Ready when a write to the hub's database commits — a read-only or locked SQLite file, a full disk, PostgreSQL
/// down or read-only all answer 503 with the reason — so a load balancer never sends deliveries to a hub that
/// would refuse them. Asked again on every probe: once storage takes writes, the hub is ready again by itself.
/// </summary>
internal sealed class StorageHealthCheck(HubDatabase database, IOptionsMonitor<StorageOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (database.Provider == StorageProvider.Sqlite && LowOnDisk() is { } full)
        {
            return HealthCheckResult.Unhealthy(full);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.CurrentValue.SqliteBusyTimeoutSeconds + 5));
            await using var connection = await database.OpenAsync(timeout.Token);
            var version = await Migrator.VersionAsync(connection);
            await using (var write = await database.BeginWriteAsync(connection, timeout.Token))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO storage_heartbeat (id, written_at) VALUES (1, @now) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at",
                    new { now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, write.Transaction, cancellationToken: timeout.Token));
                await write.CommitAsync(timeout.Token);
            }

            return HealthCheckResult.Healthy($"{database.Provider}, schema version {version}, writes commit");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"{database.Provider} storage cannot store: {StorageFaults.Describe(ex)}");
        }
    }

    /// <summary>"Healthy", or the status with each failing check's reason, e.g. "Unhealthy: Sqlite storage cannot store: the SQLite file is read-only".</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy).Select(e => e.Description).Where(d => !string.IsNullOrEmpty(d)).ToList();
        return context.Response.WriteAsync(reasons.Count == 0 ? report.Status.ToString() : $"{report.Status}: {string.Join("; ", reasons)}");
    }

    private string? LowOnDisk()
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource));
        if (folder is null || !Directory.Exists(folder))
        {
            return null;
        }

        var free = new DriveInfo(folder).AvailableFreeSpace / (1024 * 1024);
        return free < options.CurrentValue.MinFreeDiskMegabytes
            ? $"Sqlite storage cannot store: the disk is full ({free} MB free, {options.CurrentValue.MinFreeDiskMegabytes} MB needed)"
            : null;
    }
}
