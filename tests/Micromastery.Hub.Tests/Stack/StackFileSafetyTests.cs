using System.Net;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>A running hub given a stack file that once ended the process: it stays up and keeps the last good stack.</summary>
[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class StackFileSafetyTests(SqliteHub hub) : IAsyncLifetime
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

    public Task InitializeAsync() => hub.ResetAsync();

    public Task DisposeAsync() => hub.ResetAsync();

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task BadFile_KeepsTheLastGoodStackAndReportsWhere(string yaml, string error)
    {
        await File.WriteAllTextAsync(hub.Factory.StackPath, yaml);

        var errors = hub.Service<StackStore>().Reload();

        Assert.StartsWith(error, Assert.Single(errors).ToString(), StringComparison.Ordinal);
        var report = await hub.Client.StackAsync();
        Assert.Equal("stripe-payment-link", Assert.Single(report.Micromasteries).Slug);
        Assert.StartsWith(error, Assert.Single(report.StackErrors), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task TwelveMegabyteFile_IsRefusedUnread()
    {
        await using (var file = File.Create(hub.Factory.StackPath))
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
        await File.WriteAllTextAsync(hub.Factory.StackPath, "micromasteries: []\n");

        Assert.Empty(hub.Service<StackStore>().Reload());

        Assert.Empty(hub.Service<StackStore>().Current.Micromasteries);
    }
}

/// <summary>A hub started on a bad stack file: it starts, with the stack it last ran or an empty one, and says so.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class StackFileStartUpTests
{
    private const string SelfReferencingKey = "micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-20\n    checks:\n      - type: stripe.test-payment\n        ? &a [*a]\n        : 1\n";

    [Theory]
    [InlineData(SelfReferencingKey)]
    [InlineData("")]
    public async Task BadFileAtStartUp_StartsWithTheLastGoodStackRecorded(string badFile)
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var first = hub.Start();
        Assert.Single((await first.CreateClient().StackAsync()).Micromasteries);
        await first.DisposeAsync();
        await File.WriteAllTextAsync(hub.StackPath, badFile);

        var second = hub.Start();
        var report = await second.CreateClient().StackAsync();

        Assert.Equal("stripe-payment-link", Assert.Single(report.Micromasteries).Slug);
        Assert.Single(report.StackErrors);
        Assert.Contains(second.Logs.Entries, e => e.Contains("started with the last good stack recorded in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadFileAndNoRecord_StartsWithAnEmptyStackAndTheError()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, SelfReferencingKey);

        var started = hub.Start();
        var client = started.CreateClient();
        var report = await client.StackAsync();

        Assert.Empty(report.Micromasteries);
        Assert.StartsWith("6:11: anchors ('&a') are not supported", Assert.Single(report.StackErrors), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Contains(started.Logs.Entries, e => e.Contains("started with an empty stack", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecordOfAnotherStackFile_IsNotUsed()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var first = hub.Start();
        first.CreateClient();
        await first.DisposeAsync();
        var record = Path.Combine(hub.Directory, "data", StackStore.LastGoodFileName);
        Assert.True(File.Exists(record));
        await File.WriteAllTextAsync(record, "# last good copy of /somewhere/else.yml\n" + HubFixture.DefaultStack);
        await File.WriteAllTextAsync(hub.StackPath, SelfReferencingKey);

        var report = await hub.Start().CreateClient().StackAsync();

        Assert.Empty(report.Micromasteries);
    }
}
