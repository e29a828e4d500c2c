using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>
/// Stack files that once ended the process: loading one returns its error and keeps the last good stack, which the
/// report (what <c>GET /api/stack</c> answers) still shows with the error. On the hub's services without a host; a hub
/// started on such a file is in <see cref="StackFileStartUpTests"/>, a running hub's watcher in <see cref="HubSurfaceTests"/>.
/// </summary>
public sealed class StackFileSafetyTests : IAsyncLifetime
{
    private const string CheckHead = "micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-20\n    checks:\n      - type: stripe.test-payment\n";

    public static TheoryData<string, string> BadFiles => new()
    {
        { CheckHead + "        ? &a [*a]\n        : 1\n", "6:11: anchors" },
        { CheckHead + "        ? [a, b]\n        : 1\n", "6:11: a key must be a plain value" },
        { "micromasteries: " + new string('[', 100_000), "1:" },
        { CheckHead + "        schedule: \"@every_second\"\n", "6:19: 'schedule' '@every_second' runs more often than once a minute" },
        { "micromasteries:\n  - staple: stripe-payment-link\n    started: 9999-12-31\n", "3:14: 'started' is 9999-12-31, more than a year ahead" },
        { "", "1:1: the stack file is empty" },
        { " \n\t\n", "1:1: the stack file is empty" },
    };

    private HubServices hub = null!;

    public async Task InitializeAsync() => hub = await HubServices.CreateAsync();

    public async Task DisposeAsync() => await hub.DisposeAsync();

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task BadFile_KeepsTheLastGoodStackAndReportsWhere(string yaml, string error)
    {
        await File.WriteAllTextAsync(hub.StackPath, yaml);

        // Returning at all is the point: these files once threw (or overflowed the stack) inside the reload.
        var errors = hub.Service<StackStore>().Reload();

        Assert.StartsWith(error, Assert.Single(errors).ToString(), StringComparison.Ordinal);
        var report = await hub.Service<PayoffReporter>().BuildAsync(CancellationToken.None);
        Assert.Equal("stripe-payment-link", Assert.Single(report.Micromasteries).Slug);
        Assert.StartsWith(error, Assert.Single(report.StackErrors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwelveMegabyteFile_IsRefusedUnread()
    {
        await using (var file = File.Create(hub.StackPath))
        {
            file.SetLength(12 * 1024 * 1024);
        }

        var error = Assert.Single(hub.Service<StackStore>().Reload());

        Assert.Equal("1:1: the stack file is 12288 KiB; the limit is 1024 KiB (a stack is a few kilobytes)", error.ToString());
        Assert.Single(hub.Service<StackStore>().Current.Micromasteries);
    }

    [Fact]
    public async Task EmptyStackWrittenOnPurpose_IsLoaded()
    {
        await File.WriteAllTextAsync(hub.StackPath, "micromasteries: []\n");

        Assert.Empty(hub.Service<StackStore>().Reload());

        Assert.Empty(hub.Service<StackStore>().Current.Micromasteries);
    }
}
