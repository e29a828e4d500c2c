using System.ComponentModel.DataAnnotations;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// The one resilience policy of every API client that polls a service: a short in-call retry for
/// transient failures, then the check is <c>unknown</c> and Hangfire retries the job later
/// (see docs/checks.md). Small values in tests keep fault injection fast.
/// </summary>
internal sealed class PollingOptions
{
    public const string Section = "Polling";

    /// <summary>Timeout of one HTTP attempt, in milliseconds.</summary>
    [Range(10, 600_000)]
    public int AttemptTimeoutMs { get; set; } = 10_000;

    /// <summary>In-call retries after a 5xx, 408, timeout or network error (0 = none).</summary>
    [Range(0, 5)]
    public int Retries { get; set; } = 2;

    /// <summary>First in-call retry delay in milliseconds; doubles each time, with jitter.</summary>
    [Range(1, 60_000)]
    public int RetryDelayMs { get; set; } = 1_000;

    /// <summary>
    /// A <c>Retry-After</c> up to this many seconds is waited for in the call; a longer one ends the
    /// call and becomes the delay of the job's retry instead of holding a worker.
    /// </summary>
    [Range(0, 300)]
    public int MaxInCallRetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// Poll at once, at start-up and on stack changes, every check never polled before or whose
    /// scheduled run was missed while the hub was down (once, however many runs were missed).
    /// </summary>
    public bool CatchUp { get; set; } = true;
}
