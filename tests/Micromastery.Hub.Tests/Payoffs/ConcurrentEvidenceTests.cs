using Micromastery.Hub.GitHub;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// PostgreSQL lets two writers add evidence side by side (SQLite has one writer at a time): the last
/// check of a payoff can arrive in two transactions that each miss the other's evidence.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentEvidenceTests(PostgresHub hub) : IAsyncLifetime
{
    public Task InitializeAsync() => hub.ResetAsync("""
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
        var inSecond = await second.VerifyGivenAsync();
        var completedFirst = await first.CompleteAsync(CancellationToken.None);
        var completedSecond = await second.CompleteAsync(CancellationToken.None);

        // Inside their transactions neither saw both checks hold: this is the race that completing settles.
        Assert.Empty(inFirst);
        Assert.Empty(inSecond);
        Assert.Empty(completedFirst);
        Assert.Equal(["two-repos"], completedSecond);
        var report = await hub.Client.MicromasteryAsync("two-repos");
        Assert.Equal(PayoffStates.Verified, report.Payoff);
        Assert.Equal(2, report.Evidence.Count);
    }
}
