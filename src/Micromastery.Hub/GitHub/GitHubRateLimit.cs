using System.Globalization;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.GitHub;

/// <summary>
/// The primary rate limit as GitHub last reported it (<c>x-ratelimit-remaining</c>/<c>-reset</c>) on any
/// response, 304s included. While it is spent, calls are not made at all: the check is unknown and its
/// job retries after the reset.
/// </summary>
internal sealed class GitHubRateLimit(TimeProvider clock)
{
    private long _remaining = -1;
    private long _resetSeconds;

    public (long Remaining, DateTimeOffset Reset)? Last =>
        Interlocked.Read(ref _remaining) is var remaining && remaining >= 0
            ? (remaining, DateTimeOffset.FromUnixTimeSeconds(Interlocked.Read(ref _resetSeconds)))
            : null;

    public void Record(HttpResponseMessage response)
    {
        if (Header(response, "x-ratelimit-remaining") is { } remaining && Header(response, "x-ratelimit-reset") is { } reset)
        {
            Interlocked.Exchange(ref _resetSeconds, reset);
            Interlocked.Exchange(ref _remaining, remaining);
        }
    }

    /// <summary>Throws <see cref="CheckUnavailableException"/> while the limit is spent and not yet reset.</summary>
    public void EnsureAvailable()
    {
        if (Last is { Remaining: 0 } last && last.Reset > clock.GetUtcNow())
        {
            throw new CheckUnavailableException($"GitHub rate limit spent until {last.Reset:u}", last.Reset - clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        }
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>Sits outside the resilience handler: guards before any attempt, records the final answer.</summary>
    public sealed class Handler(GitHubRateLimit limit) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            limit.EnsureAvailable();
            var response = await base.SendAsync(request, cancellationToken);
            limit.Record(response);
            return response;
        }
    }
}
