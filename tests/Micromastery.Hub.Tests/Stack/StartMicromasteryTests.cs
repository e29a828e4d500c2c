using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>
/// Starting a staple (<see cref="StackStarter"/>, which <c>POST /api/micromasteries</c> and the catalog page's Start form
/// both call) over the real stack file, on the hub's services without a host. The two adapters' answers (201 and its
/// Location, 409 and 400 problems, the form's redirect, antiforgery and field errors) are in <see cref="StartAdapterTests"/>.
/// </summary>
public sealed class StartMicromasteryTests : IAsyncLifetime
{
    /// <summary>A stack file with the owner's comments, in a zone where "today" is often tomorrow in UTC.</summary>
    internal const string Commented = """
        # my own words, kept
        timeZone: Pacific/Kiritimati   # UTC+14: "today" there is often tomorrow in UTC

        micromasteries:
          - slug: perfect-omelette     # breakfast
            name: A perfect omelette
            layer: physical
            started: 2026-11-21
            checks:
              - type: manual
        """;

    private HubServices hub = null!;

    public async Task InitializeAsync() => hub = await HubServices.CreateAsync(Commented);

    public async Task DisposeAsync() => await hub.DisposeAsync();

    private Task<StartResult> StartAsync(StartRequest request) => hub.Service<StackStarter>().StartAsync(request, CancellationToken.None);

    private static string TodayIn(string zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task StartsAStaple_AppendsItKeepingTheComments_StartedTodayInTheStacksZone()
    {
        var result = await StartAsync(new StartRequest("stripe-payment-link"));

        Assert.Equal(new StartResult.Started("stripe-payment-link"), result);
        var text = await File.ReadAllTextAsync(hub.StackPath);
        Assert.StartsWith(Commented, text, StringComparison.Ordinal);
        Assert.Contains($"    started: {TodayIn("Pacific/Kiritimati")}", text, StringComparison.Ordinal);
        var item = await hub.Service<PayoffReporter>().BuildOneAsync("stripe-payment-link", PayoffReporter.NewestEvidence, CancellationToken.None);
        Assert.Equal("pending", item!.Payoff);
        Assert.Equal(["perfect-omelette", "stripe-payment-link"], (await hub.Service<PayoffReporter>().BuildAsync(CancellationToken.None)).Micromasteries.Select(m => m.Slug));
    }

    [Fact]
    public async Task SameStapleTwice_IsAlreadyThere_AndWritesNothing()
    {
        await StartAsync(new StartRequest("stripe-payment-link", Started: "2026-12-01", Public: true));
        var before = await File.ReadAllTextAsync(hub.StackPath);

        var again = await StartAsync(new StartRequest("stripe-payment-link"));

        Assert.Equal(new StartResult.AlreadyThere("stripe-payment-link"), again);
        Assert.Equal(before, await File.ReadAllTextAsync(hub.StackPath));
        Assert.Contains("    started: 2026-12-01\n    public: true\n", before, StringComparison.Ordinal);
    }

    public static TheoryData<string?, string?, string?, string> BadRequests => new()
    {
        { "no-such-staple", null, null, "staple" },
        { null, null, null, "staple" },
        { "stripe-payment-link", "04/12/2026", null, "started" },
        { "github-actions-cron", null, null, "parameters.repo" },
        { "github-actions-cron", null, "not a repo", "parameters.repo" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequest_IsInvalidNamingTheField_AndWritesNothing(string? staple, string? started, string? repo, string field)
    {
        var before = await File.ReadAllTextAsync(hub.StackPath);

        var result = await StartAsync(new StartRequest(staple, started, Parameters: repo is null ? null : new Dictionary<string, string> { ["repo"] = repo }));

        var invalid = Assert.IsType<StartResult.Invalid>(result);
        Assert.Equal(field, invalid.Field);
        Assert.False(string.IsNullOrWhiteSpace(invalid.Message));
        Assert.Equal(before, await File.ReadAllTextAsync(hub.StackPath));
    }

    [Fact]
    public async Task StapleWithParameters_WritesThem()
    {
        var result = await StartAsync(new StartRequest("github-actions-cron", Parameters: new Dictionary<string, string> { ["repo"] = "ada/weekly-report" }));

        Assert.IsType<StartResult.Started>(result);
        Assert.Equal("ada/weekly-report", hub.Service<StackStore>().Current.Find("github-actions-cron")!.Checks.Single().Get("repo"));
    }

    [Fact]
    public async Task FileWithErrors_IsRefusedShowingTheError_AndLeftAlone()
    {
        var broken = Commented.Replace("layer: physical", "layer: nowhere", StringComparison.Ordinal);
        await File.WriteAllTextAsync(hub.StackPath, broken);

        var result = await StartAsync(new StartRequest("stripe-payment-link"));

        var refused = Assert.IsType<StartResult.FileHasErrors>(result);
        Assert.Equal(Path.GetFullPath(hub.StackPath), refused.Path);
        Assert.Contains(refused.Errors, e => e.Line == 7);
        Assert.Equal(broken, await File.ReadAllTextAsync(hub.StackPath));
    }
}
