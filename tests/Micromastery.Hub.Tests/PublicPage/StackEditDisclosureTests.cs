using System.Text.Json;
using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>
/// A published case study names a private repository (its run is private evidence). Removing the GitHub check from
/// the stack file afterwards must not unmask it: what a stranger sees is decided as the page is shown, from the
/// recorded facts, not from which checks the stack lists today. Checked on the public models the page and the feed
/// are rendered from (the public reader, on the hub's services without a host), and on the feed itself.
/// </summary>
public abstract class StackEditDisclosureTests(StoreFixture store) : IAsyncLifetime
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

    private HubServices _hub = null!;

    public async Task InitializeAsync() => _hub = await store.CreateAsync(WithGitHub);

    public Task DisposeAsync() => Task.CompletedTask;

    // What a stranger's page of the micromastery and the feed are rendered from.
    private async Task<(PublicMicromastery? Page, string Model, string Feed)> PublicAsync()
    {
        var reader = _hub.Service<PublicReader>();
        var page = (await reader.ReadAsync(Slug, CancellationToken.None)).Find(Slug);
        var feed = AtomFeed.Write(await reader.ReadAsync(CancellationToken.None), "https://hub.example");
        return (page, JsonSerializer.Serialize(page), feed);
    }

    [Fact]
    public async Task PublishedCaseStudy_NeverNamesAPrivateRepository_AfterItsCheckLeavesTheStack()
    {
        await _hub.RecordAsync([WorkflowRunObservation.Create(RunId, PrivateRepo, ".github/workflows/ci.yml", "CI", "main", "push", "success",
            DateTimeOffset.UtcNow.AddHours(-1), null, repositoryPrivate: true)]);

        Assert.Equal(1, (await _hub.Service<DraftRendering>().RenderNowAsync(Slug, CancellationToken.None)).Version);
        var draft = (await _hub.Service<DraftStore>().GetAsync(Slug, null, CancellationToken.None))!.Markdown;
        Assert.Contains(PrivateRepo, draft, StringComparison.Ordinal); // the owner's draft names it; the public page must not
        Assert.NotNull(await _hub.Service<CaseStudyPublishing>().PublishAsync(Slug, 1, CancellationToken.None));
        var before = await PublicAsync();

        _hub.LoadStack(WithoutGitHub);
        var after = await PublicAsync();

        Assert.NotNull(before.Page);
        Assert.NotNull(after.Page);
        Assert.False(string.IsNullOrEmpty(after.Page.CaseStudy?.Html), "the case study is rendered on its page");
        foreach (var body in new[] { before.Model, after.Model, after.Feed })
        {
            Assert.DoesNotContain(PrivateRepo, body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("privrepo", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
        }
    }
}

public sealed class StackEditDisclosureTests_Sqlite(SqliteStore store) : StackEditDisclosureTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class StackEditDisclosureTests_Postgres(PostgresStore store) : StackEditDisclosureTests(store), IClassFixture<PostgresStore>;
