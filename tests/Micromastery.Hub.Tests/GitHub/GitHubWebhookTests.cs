using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>
/// How a GitHub delivery (workflow runs, ping, other events) maps to evidence, as the inbox applies it, on the hub's
/// services without a host, against both storage providers. A check suite, which makes the inbox poll GitHub, is in
/// <see cref="GitHubWebhookReceiptTests"/>; the rules all receivers share are in <see cref="Webhooks.ReceiverRuleTests"/>.
/// </summary>
public abstract class GitHubWebhookTests(StoreFixture store) : IAsyncLifetime
{
    private const string Slug = "ci";
    internal const string Stack = """
        timeZone: UTC
        micromasteries:
          - slug: ci
            name: GitHub Actions workflow
            layer: A
            started: 2026-11-20
            checks:
              - type: github.workflow-run
                repo: octo-org/octo-repo
                workflow: test.yml
        """;

    private HubServices _hub = null!;

    public async Task InitializeAsync() => _hub = await store.CreateAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CompletedSuccessfulWorkflowRun_VerifiesWithTheRunAsEvidence()
    {
        await _hub.ApplyWebhookAsync("github", "workflow_run", Payloads.Text("github", "workflow_run.completed.json"));

        var verified = await _hub.MicromasteryAsync(Slug, m => m.Payoff == PayoffStates.Verified, $"{Slug} to be verified");
        var evidence = Assert.Single(verified.Evidence);
        Assert.Equal("289782451", evidence.ExternalId);
        Assert.Equal("https://github.com/octo-org/octo-repo/actions/runs/289782451", evidence.Url);
    }

    [Fact]
    public async Task UnknownEventType_IsIgnored()
    {
        var outcome = await _hub.ApplyWebhookAsync("github", "issues", Payloads.Text("github", "issues.opened.json"));

        Assert.NotNull(outcome.IgnoredBecause);
        Assert.Empty(outcome.Observations);
        Assert.Equal(PayoffStates.Pending, (await _hub.MicromasteryAsync(Slug)).Payoff);
    }

    [Fact]
    public async Task Ping_IsProcessed()
    {
        var outcome = await _hub.ApplyWebhookAsync("github", "ping", Payloads.Text("github", "ping.json"));

        Assert.Null(outcome.IgnoredBecause); // the inbox marks it processed, not ignored
        Assert.Empty(outcome.Observations);
    }
}

public sealed class GitHubWebhookTests_Sqlite(SqliteStore store) : GitHubWebhookTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class GitHubWebhookTests_Postgres(PostgresStore store) : GitHubWebhookTests(store), IClassFixture<PostgresStore>;
