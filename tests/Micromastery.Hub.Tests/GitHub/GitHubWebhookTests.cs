using System.Net;
using System.Text.Json.Nodes;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>
/// What only POST /webhooks/github does (workflow runs, check suites, ping), against both storage providers.
/// The rules all receivers share are in <see cref="Webhooks.ReceiverRuleTests"/>.
/// </summary>
public abstract class GitHubWebhookTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Slug = "ci";
    private const string Stack = """
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

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> PostAsync(string body, string eventName, string? signature, string? delivery = null)
    {
        var headers = new List<(string, string)> { ("X-GitHub-Event", eventName), ("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString()), ("X-GitHub-Hook-ID", "292430182") };
        if (signature is not null)
        {
            headers.Add(("X-Hub-Signature-256", signature));
        }

        return hub.Client.PostWebhookAsync("github", body, [.. headers]);
    }

    [Fact]
    public async Task CompletedSuccessfulWorkflowRun_VerifiesWithTheRunAsEvidence()
    {
        var body = Payloads.Text("github", "workflow_run.completed.json");

        var response = await PostAsync(body, "workflow_run", TestSignatures.GitHub(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verified = await hub.Client.VerifiedAsync(Slug);
        var evidence = Assert.Single(verified.Evidence);
        Assert.Equal("289782451", evidence.ExternalId);
        Assert.Equal("https://github.com/octo-org/octo-repo/actions/runs/289782451", evidence.Url);
    }

    [Fact]
    public async Task UnknownEventType_IsStoredAndMarkedIgnored()
    {
        var body = Payloads.Text("github", "issues.opened.json");

        var response = await PostAsync(body, "issues", TestSignatures.GitHub(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (state, _) = await hub.ProcessedAsync("github");
        Assert.Equal((int)InboxState.Ignored, state);
        Assert.Equal(PayoffStates.Pending, (await hub.Client.MicromasteryAsync(Slug)).Payoff);
    }

    [Fact]
    public async Task Ping_IsStoredAndProcessed()
    {
        var body = Payloads.Text("github", "ping.json");

        var response = await PostAsync(body, "ping", TestSignatures.GitHub(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((int)InboxState.Processed, (await hub.ProcessedAsync("github")).State);
    }

    [Fact]
    public async Task CompletedCheckSuite_PollsTheRepositoryAndVerifiesFromTheApi()
    {
        var repo = Payloads.Json("github", "check_suite.completed.json");
        repo["repository"]!["full_name"] = "octo-org/octo-repo";
        var body = repo.ToJsonString();
        GitHubStubs.SuccessfulRuns(hub.GitHub, "octo-org", "octo-repo", "test.yml");

        var response = await PostAsync(body, "check_suite", TestSignatures.GitHub(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verified = await hub.Client.VerifiedAsync(Slug);
        Assert.Equal(GitHubStubs.RunUrl, Assert.Single(verified.Evidence).Url);
    }

}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class GitHubWebhookTests_Sqlite(SqliteServicesHub hub) : GitHubWebhookTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class GitHubWebhookTests_Postgres(PostgresServicesHub hub) : GitHubWebhookTests(hub);
