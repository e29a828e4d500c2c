using Dapper;
using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Text fields have a documented maximum and slugs are matched exactly as the stack file declares them. On the hub's
/// services without a host: the recorder and the draft rendering the endpoints call; how the endpoints answer a
/// refusal (400 naming the field, 404) is in <see cref="Access.ProblemAnswerTests"/>.
/// </summary>
public abstract class InputBoundsTests(StoreFixture store) : IAsyncLifetime
{
    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - slug: perfect-omelette
            name: A perfect omelette
            layer: physical
            started: 2026-11-21
            checks:
              - type: manual
        """;

    private HubServices hub = null!;

    public async Task InitializeAsync() => hub = await store.CreateAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<ManualEvidenceResult> RecordAsync(string slug, ManualEvidence body) =>
        hub.Service<ManualEvidenceRecorder>().RecordAsync(slug, body, CancellationToken.None);

    [Theory]
    [InlineData("note", 20 * 1024 * 1024, "'note' is 20971520 characters; at most 2000")]
    [InlineData("note", 2001, "'note' is 2001 characters; at most 2000")]
    [InlineData("url", 3000, "'url' is 3000 characters; at most 2048")]
    public async Task OversizedField_IsRefusedNamingItAndStoresNothing(string field, int length, string error)
    {
        var value = field == "url" ? "https://example.com/" + new string('a', length - 20) : new string('n', length);

        var result = await RecordAsync("perfect-omelette", field == "url" ? new ManualEvidence(null, value, null) : new ManualEvidence(null, null, value));

        Assert.Equal((field, error), (result.Field, result.Error));
        Assert.Null(result.CheckId);
        Assert.Equal(0L, await CountAsync("observations"));
    }

    [Fact]
    public async Task NoteAtTheMaximum_IsStored()
    {
        var result = await RecordAsync("perfect-omelette", new ManualEvidence(null, null, new string('n', 2000)));

        Assert.Null(result.Error);
        Assert.Equal("manual", result.CheckId);
        Assert.Equal(1L, await CountAsync("observations"));
    }

    [Fact]
    public async Task EvidenceForADifferentlyCasedSlug_IsNotFoundAndStoresNothing()
    {
        var result = await RecordAsync("PERFECT-OMELETTE", new ManualEvidence(null, null, "three folds"));

        Assert.True(result.NotFound);
        Assert.Equal(0L, await CountAsync("evidence"));
    }

    [Fact]
    public async Task DraftForADifferentlyCasedSlug_IsNotFoundAndNeverStoredUnderASecondName()
    {
        var rendering = hub.Service<DraftRendering>();

        var cased = await rendering.RenderNowAsync("PERFECT-OMELETTE", CancellationToken.None);

        Assert.True(cased.NotFound);
        Assert.Equal(0L, await CountAsync("case_study_drafts"));
        Assert.Equal(1, (await rendering.RenderNowAsync("perfect-omelette", CancellationToken.None)).Version);
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        Assert.Equal(["perfect-omelette"], await connection.QueryAsync<string>("SELECT DISTINCT slug FROM case_study_drafts"));
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }
}

public sealed class InputBoundsTests_Sqlite(SqliteStore store) : InputBoundsTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class InputBoundsTests_Postgres(PostgresStore store) : InputBoundsTests(store), IClassFixture<PostgresStore>;
