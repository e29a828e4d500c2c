using System.Threading.RateLimiting;

namespace Micromastery.Hub.Access;

/// <summary>
/// Failed sign-ins (the form and Basic credentials alike) per client address: after
/// <see cref="FailuresPerWindow"/> in a minute that address is refused until the minute is over.
/// Only failures count, so an API client sending correct credentials on every call is never held back.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    public const int FailuresPerWindow = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Where a refused attempt leaves its wait for the response (HttpContext.Items key).</summary>
    public const string RetryAfterItem = "access.retry-after";

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = FailuresPerWindow,
            Window = Window,
            QueueLimit = 0,
        }));

    /// <summary>Null when the address may try; otherwise how long it must wait.</summary>
    public TimeSpan? RetryAfter(HttpContext context)
    {
        using var lease = _failures.AttemptAcquire(Key(context), 0);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
    }

    public void RecordFailure(HttpContext context) => _failures.AttemptAcquire(Key(context)).Dispose();

    public void Dispose() => _failures.Dispose();

    // The address after forwarded headers from a known proxy: the real client's, not the proxy's.
    private static string Key(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
