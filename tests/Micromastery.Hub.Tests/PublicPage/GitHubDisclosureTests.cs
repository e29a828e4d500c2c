using System.Text.Json;
using System.Text.Json.Nodes;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Tests.GitHub;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>
/// A GitHub run's link is public only when GitHub's answer said the repository is not private: the public model a
/// stranger's page is rendered from, built by the public reader on the hub's services without a host.
/// </summary>
[Collection(StandInsCollection.Name)]
public sealed class GitHubDisclosureTests(ServiceStandIns hub) : IAsyncLifetime
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
        Assert.Equal(PayoffStates.Verified, (await hub.MicromasteryAsync("cron")).Payoff);

        var page = (await hub.Service<PublicReader>().ReadAsync("cron", CancellationToken.None)).Find("cron");

        Assert.NotNull(page);
        Assert.Contains("a GitHub Actions run that succeeded, reported by GitHub", page.HowVerified);
        var evidence = Assert.Single(page.Evidence);
        Assert.Equal(linkShown ? GitHubStubs.RunUrl : null, evidence.Url);
        if (!linkShown)
        {
            // Everything the page is rendered from: neither the repository nor the run may be named anywhere in it.
            var model = JsonSerializer.Serialize(page);
            Assert.DoesNotContain("octo-repo", model, StringComparison.Ordinal);
            Assert.DoesNotContain(GitHubStubs.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), model, StringComparison.Ordinal);
        }
    }
}
