using System.Text.Json.Nodes;
using Micromastery.Hub.Tests.Access;
using Micromastery.Hub.Tests.GitHub;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>A GitHub run's link is public only when GitHub's answer said the repository is not private.</summary>
[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class GitHubDisclosureTests(SqliteServicesHub hub) : IAsyncLifetime
{
    private const string Stack = """
        micromasteries:
          - slug: cron
            name: Cron job with GitHub Actions
            layer: A
            started: 2026-11-20
            public: true
            checks:
              - type: github.workflow-run
                repo: octo-org/octo-repo
                workflow: test.yml
                event: push
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task RunLink_IsShownOnlyForAPublicRepository(bool repositoryPrivate, bool linkShown)
    {
        var runs = JsonNode.Parse(GitHubStubs.Runs("octo-org", "octo-repo"))!;
        runs["workflow_runs"]![0]!["repository"]!["private"] = repositoryPrivate;
        hub.GitHub.Given(Request.Create().WithPath(GitHubStubs.RunsPath("octo-org", "octo-repo", "test.yml")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(runs.ToJsonString()));
        await hub.RunCheckAsync("cron", "github.workflow-run");
        await hub.Client.VerifiedAsync("cron");

        var page = await Visitor.StrangerThroughProxy(hub.Factory.Server).GetAsync("/public/cron", "text/html");

        Assert.Equal(200, page.Status);
        Assert.Contains("a GitHub Actions run that succeeded, reported by GitHub", page.Body);
        Assert.Equal(linkShown, page.Body.Contains($"href=\"{GitHubStubs.RunUrl}\"", StringComparison.Ordinal));
        if (!linkShown)
        {
            Assert.DoesNotContain("octo-repo", page.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(GitHubStubs.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Body, StringComparison.Ordinal);
        }
    }
}
