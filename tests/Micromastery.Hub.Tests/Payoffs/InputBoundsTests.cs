using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>Text fields have a documented maximum and slugs are matched exactly as the stack file declares them.</summary>
public abstract class InputBoundsTests(HubFixture hub) : IAsyncLifetime
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

    public Task InitializeAsync() => hub.ResetAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("note", 20 * 1024 * 1024, "'note' is 20971520 characters; at most 2000")]
    [InlineData("note", 2001, "'note' is 2001 characters; at most 2000")]
    [InlineData("url", 3000, "'url' is 3000 characters; at most 2048")]
    public async Task OversizedField_Is400NamingItAndStoresNothing(string field, int length, string error)
    {
        var value = field == "url" ? "https://example.com/" + new string('a', length - 20) : new string('n', length);

        var response = await hub.Client.PostAsJsonAsync("/api/micromasteries/perfect-omelette/evidence", new Dictionary<string, string> { [field] = value });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([error], (await Problem.ErrorsAsync(response))[field]);
        Assert.Equal(0L, await CountAsync("observations"));
    }

    [Fact]
    public async Task NoteAtTheMaximum_IsStored()
    {
        var response = await hub.Client.PostAsJsonAsync("/api/micromasteries/perfect-omelette/evidence", new { note = new string('n', 2000) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1L, await CountAsync("observations"));
    }

    [Fact]
    public async Task EvidenceForADifferentlyCasedSlug_Is404AndStoresNothing()
    {
        var response = await hub.Client.PostAsJsonAsync("/api/micromasteries/PERFECT-OMELETTE/evidence", new { note = "three folds" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0L, await CountAsync("evidence"));
    }

    [Fact]
    public async Task DraftForADifferentlyCasedSlug_Is404AndNeverStoredUnderASecondName()
    {
        var response = await hub.Client.PostAsync("/api/micromasteries/PERFECT-OMELETTE/drafts", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0L, await CountAsync("case_study_drafts"));
        Assert.Equal(HttpStatusCode.Created, (await hub.Client.PostAsync("/api/micromasteries/perfect-omelette/drafts", null)).StatusCode);
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        Assert.Equal(["perfect-omelette"], await connection.QueryAsync<string>("SELECT DISTINCT slug FROM case_study_drafts"));
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }
}

[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class InputBoundsTests_Sqlite(SqliteHub hub) : InputBoundsTests(hub);

[Collection(PostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class InputBoundsTests_Postgres(PostgresHub hub) : InputBoundsTests(hub);
