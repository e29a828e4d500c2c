using System.Collections.Concurrent;
using Octokit;
using Octokit.Caching;
using Octokit.Internal;

namespace Micromastery.Hub.GitHub;

/// <summary>
/// Octokit's ETag cache, in memory: the next poll of the same URL sends <c>If-None-Match</c>, and a
/// 304 (which does not count against the rate limit) is answered from here. After a restart the first
/// poll of each check is a full request again, which is cheap enough for a handful of checks.
/// </summary>
internal sealed class GitHubResponseCache : IResponseCache
{
    private const int MaxEntries = 1_000;
    private readonly ConcurrentDictionary<string, CachedResponse.V1> _entries = new(StringComparer.Ordinal);

    public Task<CachedResponse.V1> GetAsync(IRequest request) =>
        Task.FromResult(_entries.GetValueOrDefault(Key(request))!);

    public Task SetAsync(IRequest request, CachedResponse.V1 cachedResponse)
    {
        // Only answers worth replaying: an error must not be served for a later 304.
        if ((int)cachedResponse.StatusCode is >= 200 and < 300 && !string.IsNullOrEmpty(cachedResponse.ApiInfo?.Etag))
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            _entries[Key(request)] = cachedResponse;
        }

        return Task.CompletedTask;
    }

    private static string Key(IRequest request) =>
        $"{request.BaseAddress}{request.Endpoint}?{string.Join('&', request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}";
}
