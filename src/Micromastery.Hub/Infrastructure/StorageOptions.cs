using System.ComponentModel.DataAnnotations;

namespace Micromastery.Hub.Infrastructure;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (embedded default, with in-process job storage) or <c>Postgres</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Folder for the SQLite file when <c>ConnectionStrings:Hub</c> is not set.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>SQLite busy timeout: how long a writer waits for the file lock before the request fails with 503.</summary>
    [Range(1, 600)]
    public int SqliteBusyTimeoutSeconds { get; set; } = 5;

    /// <summary>How many webhook events the inbox writer commits together at most (group commit).</summary>
    [Range(1, 10_000)]
    public int InboxBatchSize { get; set; } = 256;

    /// <summary>Free space below which the SQLite hub is not ready: SQLite can still commit into a rewound log, then fails mid-burst.</summary>
    [Range(0, 1_000_000)]
    public int MinFreeDiskMegabytes { get; set; } = 64;

    /// <summary>Hangfire's queue poll interval on PostgreSQL, in milliseconds.</summary>
    [Range(50, 60_000)]
    public int QueuePollIntervalMs { get; set; } = 1000;
}
