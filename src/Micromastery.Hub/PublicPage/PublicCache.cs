using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// What strangers are served, kept until what it shows changes: the public model (built once per change, by one
/// request while the others wait for it) and each public answer as bytes with its ETag. "Changed" is the database's
/// <see cref="ChangeCounter"/> (so a change made through any hub on the same database evicts here too) or a new
/// stack loaded by this hub; an answer is also rebuilt after <see cref="PublicCacheOptions.MaxAge"/>.
/// </summary>
internal sealed partial class PublicCache(HubDatabase database, StackStore stack, IOptionsMonitor<PublicCacheOptions> options, ILogger<PublicCache> logger)
{
    private readonly ConcurrentDictionary<string, PublicAnswer> _answers = new(StringComparer.Ordinal);
    private readonly Lock _modelGate = new();
    private readonly SemaphoreSlim _counterGate = new(1, 1);
    private long _version = -1;
    private long _readStartedAt;
    private long _commitsSeen = -1;
    private Generation? _model;
    private Task<PublicStack>? _building;

    /// <summary>What the cache is keyed on: the change counter and this hub's stack.</summary>
    public sealed record Generation(long Version, StackDefinition Stack);

    public bool Enabled => options.CurrentValue.Enabled;

    /// <summary>
    /// The current generation: reads the change counter when it is due — every <see cref="PublicCacheOptions.CheckChangesEvery"/>
    /// (changes made through other hubs), and after every change this process committed (<see cref="ChangeCounter.LocalCommits"/>),
    /// so its own changes show on the next request without a database read per request in between.
    /// </summary>
    public async ValueTask<Generation> CurrentAsync(CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        var due = Interlocked.Read(ref _version) < 0
                  || Stopwatch.GetElapsedTime(Interlocked.Read(ref _readStartedAt), now) >= options.CurrentValue.CheckChangesEvery
                  || ChangeCounter.LocalCommits != Interlocked.Read(ref _commitsSeen);
        if (due)
        {
            // One reader at a time: a burst of requests needs one answer from the database, not one each.
            await _counterGate.WaitAsync(ct);
            try
            {
                // A read that started after this request decided to read saw everything committed before: no need for another.
                if (Interlocked.Read(ref _readStartedAt) < now || Interlocked.Read(ref _version) < 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    var commits = ChangeCounter.LocalCommits;
                    await using var connection = await database.OpenAsync(ct);
                    var version = await ChangeCounter.ReadAsync(connection, ct);
                    if (Interlocked.Exchange(ref _version, version) != version)
                    {
                        _answers.Clear(); // only to free memory: every answer carries the generation it was built at
                    }

                    Interlocked.Exchange(ref _commitsSeen, commits);
                    Interlocked.Exchange(ref _readStartedAt, started);
                }
            }
            finally
            {
                _counterGate.Release();
            }
        }

        return new Generation(Interlocked.Read(ref _version), stack.Current);
    }

    /// <summary>
    /// The public model of <paramref name="generation"/>: built by the first caller and shared with the others, so a
    /// flood of cache misses (many slugs, hosts, badges) costs one build per change, not one per request.
    /// </summary>
    public Task<PublicStack> ModelAsync(Generation generation, Func<CancellationToken, Task<PublicStack>> build)
    {
        lock (_modelGate)
        {
            if (_building is { IsFaulted: false, IsCanceled: false } building && _model == generation)
            {
                return building;
            }

            _model = generation;
            // Not the request's token: the build is shared, and one reader leaving must not fail the others.
            _building = build(CancellationToken.None);
            return _building;
        }
    }

    public PublicAnswer? Find(string key, Generation generation)
    {
        if (_answers.TryGetValue(key, out var answer) && answer.Generation == generation
            && Stopwatch.GetElapsedTime(answer.BuiltAt) < options.CurrentValue.MaxAge)
        {
            return answer;
        }

        return null;
    }

    public void Keep(string key, PublicAnswer answer)
    {
        if (_answers.Count >= options.CurrentValue.MaxEntries && !_answers.ContainsKey(key))
        {
            LogFull(options.CurrentValue.MaxEntries);
            return;
        }

        _answers[key] = answer;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The public cache holds {Entries} answers: this one is served without being kept")]
    private partial void LogFull(int entries);
}

/// <summary>One public answer as it was sent: status, headers, body and its strong ETag.</summary>
internal sealed record PublicAnswer(PublicCache.Generation Generation, long BuiltAt, int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string ETag);
