using Micromastery.Hub.GitHub;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// PostgreSQL lets two writers add evidence side by side (SQLite has one writer at a time): the last
/// check of a payoff can arrive in two transactions at once; the payoff is verified once.
/// </summary>
[Trait(Needs.Key, Needs.Postgres)]
public sealed class ConcurrentEvidenceTests(PostgresStore store) : IClassFixture<PostgresStore>, IAsyncLifetime
{
    private HubServices hub = null!;

    public async Task InitializeAsync() => hub = await store.CreateAsync("""
        timeZone: UTC
        micromasteries:
          - slug: two-repos
            name: Green runs in two repositories
            layer: A
            started: 2026-11-20
            checks:
              - id: api
                type: github.workflow-run
                repo: octo-org/api
              - id: site
                type: github.workflow-run
                repo: octo-org/site
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    private static Observation Run(long id, string repository) =>
        WorkflowRunObservation.Create(id, repository, ".github/workflows/ci.yml", "CI", "main", "push", "success", DateTimeOffset.UtcNow, null);

    [Fact]
    public async Task LastTwoChecksCommittedSideBySide_StillVerifyThePayoffOnce()
    {
        var ledger = hub.Service<PayoffLedger>();

        await using var first = await ledger.BeginAsync(CancellationToken.None);
        await using var second = await ledger.BeginAsync(CancellationToken.None);
        await first.RecordAsync([Run(101, "octo-org/api")], CancellationToken.None);
        await second.RecordAsync([Run(202, "octo-org/site")], CancellationToken.None);
        var inFirst = await first.VerifyGivenAsync();
        // The micromastery's summary row orders its writers: the second sums its evidence once the first has committed.
        var inSecond = second.VerifyGivenAsync();
        var completedFirst = await first.CompleteAsync(CancellationToken.None);
        var seenBySecond = await inSecond;
        var completedSecond = await second.CompleteAsync(CancellationToken.None);

        // The first could not see both checks hold; the second, ordered after it, does: the payoff is verified once.
        Assert.Empty(inFirst);
        Assert.Empty(completedFirst);
        Assert.Equal(["two-repos"], seenBySecond);
        Assert.Equal(["two-repos"], completedSecond);
        var report = await hub.MicromasteryAsync("two-repos");
        Assert.Equal(PayoffStates.Verified, report.Payoff);
        Assert.Equal(2, report.Evidence.Count);
    }
}
