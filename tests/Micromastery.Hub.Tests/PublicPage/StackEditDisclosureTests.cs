using Microsoft.AspNetCore.Http;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Access;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>
/// A published case study names a private repository (its run is private evidence). Removing the GitHub check from
/// the stack file afterwards must not unmask it: what a stranger sees is decided as the page is shown, from the
/// recorded facts, not from which checks the stack lists today.
/// </summary>
public abstract class StackEditDisclosureTests(HubFixture hub) : IAsyncLifetime
{
    private const string Slug = "open-skill";
    private const string PrivateRepo = "acme/privrepo-open";
    private const long RunId = 918273645;

    private const string WithGitHub = """
        timeZone: UTC
        micromasteries:
          - slug: open-skill
            name: Open skill
            layer: A
            started: 2026-11-20
            public: true
            checks:
              - type: github.workflow-run
                repo: acme/privrepo-open
              - type: manual
        """;

    private const string WithoutGitHub = """
        timeZone: UTC
        micromasteries:
          - slug: open-skill
            name: Open skill
            layer: A
            started: 2026-11-20
            public: true
            checks:
              - type: manual
        """;

    public Task InitializeAsync() => hub.ResetAsync(WithGitHub);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PublishedCaseStudy_NeverNamesAPrivateRepository_AfterItsCheckLeavesTheStack()
    {
        var ledger = hub.Service<PayoffLedger>();
        await using (var batch = await ledger.BeginAsync(CancellationToken.None))
        {
            await batch.RecordAsync([WorkflowRunObservation.Create(RunId, PrivateRepo, ".github/workflows/ci.yml", "CI", "main", "push", "success",
                DateTimeOffset.UtcNow.AddHours(-1), null, repositoryPrivate: true)], CancellationToken.None);
            await batch.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(System.Net.HttpStatusCode.Created, (await hub.Client.PostAsync($"/api/micromasteries/{Slug}/drafts", null)).StatusCode);
        var draft = await hub.Client.GetStringAsync($"/api/micromasteries/{Slug}/drafts/latest");
        Assert.Contains(PrivateRepo, draft, StringComparison.Ordinal); // the owner's draft names it; the public page must not
        Assert.True((await hub.Client.PostAsync($"/api/micromasteries/{Slug}/drafts/1/publish", null)).IsSuccessStatusCode);
        var stranger = Visitor.StrangerThroughProxy(hub.Factory.Server, "203.0.113.150");
        var before = await stranger.GetAsync($"/public/{Slug}", "text/html");

        await File.WriteAllTextAsync(hub.Factory.StackPath, WithoutGitHub);
        Assert.Empty(hub.Service<StackStore>().Reload());
        var after = await stranger.GetAsync($"/public/{Slug}", "text/html");
        var feed = await stranger.GetAsync("/public/feed.xml", "application/atom+xml");

        Assert.Equal(StatusCodes.Status200OK, before.Status);
        Assert.Equal(StatusCodes.Status200OK, after.Status);
        Assert.Contains("case-study", after.Body, StringComparison.Ordinal);
        foreach (var body in new[] { before.Body, after.Body, feed.Body })
        {
            Assert.DoesNotContain(PrivateRepo, body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("privrepo", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
        }
    }
}

[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class StackEditDisclosureTests_Sqlite(SqliteHub hub) : StackEditDisclosureTests(hub);

[Collection(PostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class StackEditDisclosureTests_Postgres(PostgresHub hub) : StackEditDisclosureTests(hub);
