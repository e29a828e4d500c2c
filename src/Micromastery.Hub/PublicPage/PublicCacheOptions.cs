using System.ComponentModel.DataAnnotations;

namespace Micromastery.Hub.PublicPage;

/// <summary>How the public outputs are cached (section <c>Public:Cache</c>).</summary>
internal sealed class PublicCacheOptions
{
    public const string Section = "Public:Cache";

    /// <summary>Off: every public request builds its answer (ETags and 304s still work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often the change counter is read: a change made by another hub on the same database shows within this
    /// long (a change made by this hub shows on its next request). Zero: on every request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CheckChangesEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An answer is built again after this long even when nothing changed (what time alone changes, such as staleness).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many answers are kept (one per address, host and query asked); beyond it answers are built and not kept.</summary>
    [Range(1, 100_000)]
    public int MaxEntries { get; set; } = 1_000;
}

/// <summary>
/// The second line of defence of the public outputs (section <c>Public:RateLimit</c>); the cache is the first.
/// Per client address (after forwarded headers from known proxies only) and, for all strangers together, a cap
/// on how many public requests run at once, so a flood cannot take the cores that health and webhooks need.
/// </summary>
internal sealed class PublicRateLimitOptions
{
    public const string Section = "Public:RateLimit";

    /// <summary>Requests a minute one client address may make to the public outputs, on average. Zero: no per-address limit.</summary>
    [Range(0, int.MaxValue)]
    public int PermitsPerMinute { get; set; } = 600;

    /// <summary>How many requests one address may make at once above the average (a page and its badges, a feed reader's burst).</summary>
    [Range(1, int.MaxValue)]
    public int Burst { get; set; } = 120;

    /// <summary>Public requests running at once, all addresses together; the rest wait in the queue. Zero: no cap.</summary>
    [Range(0, 10_000)]
    public int ConcurrentRequests { get; set; } = 4;

    /// <summary>Public requests waiting for a turn; beyond it a request is answered 429 at once.</summary>
    [Range(0, 100_000)]
    public int QueueLength { get; set; } = 256;
}
