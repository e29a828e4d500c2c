using Microsoft.Extensions.Logging.Abstractions;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>The shared build of the public model, without a host: one build per generation, and no thread blocked while it runs.</summary>
public sealed class PublicCacheModelTests
{
    // ModelAsync reads neither the database nor the stack store: the generation is given.
    private static PublicCache Cache() =>
        new(null!, null!, new FixedOptions<PublicCacheOptions>(new PublicCacheOptions()), NullLogger<PublicCache>.Instance);

    private static readonly PublicCache.Generation First = new(1, StackDefinition.Empty);

    [Fact]
    public async Task ModelAsync_WhileABuildRunsSynchronously_AnotherCallerWaitsOnTheTaskNotOnALock()
    {
        var cache = Cache();
        using var building = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var builds = 0;
        var model = new PublicStack(DateTimeOffset.UnixEpoch, null, []);
        Task<PublicStack> Build(CancellationToken _)
        {
            Interlocked.Increment(ref builds);
            building.Set();
            release.Wait(); // as SQLite's "async" reads do: the build holds its thread until it is done
            return Task.FromResult(model);
        }

        // Threads of their own, not the pool's: a busy pool must not make a correct cache look blocked.
        Task<PublicStack>? first = null, second = null;
        var one = new Thread(() => first = cache.ModelAsync(First, Build));
        one.Start();
        Assert.True(building.Wait(TimeSpan.FromSeconds(30)), "the first build never started");
        var two = new Thread(() => second = cache.ModelAsync(First, Build));
        two.Start();
        var returned = two.Join(TimeSpan.FromSeconds(10)); // blocked on a lock held across the build, it would not return
        release.Set();
        one.Join();
        two.Join();

        Assert.True(returned, "a second caller was blocked while the first one built the model");
        Assert.Same(model, await second!);
        Assert.Same(model, await first!);
        Assert.Equal(1, builds);
    }

    [Fact]
    public async Task ModelAsync_AfterAFailedBuild_BuildsAgain()
    {
        var cache = Cache();
        var model = new PublicStack(DateTimeOffset.UnixEpoch, null, []);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.ModelAsync(First, _ => throw new InvalidOperationException("storage down")));
        var again = await cache.ModelAsync(First, _ => Task.FromResult(model));

        Assert.Same(model, again);
    }
}
