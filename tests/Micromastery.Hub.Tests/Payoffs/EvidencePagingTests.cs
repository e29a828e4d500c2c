using System.Net;
using System.Net.Http.Json;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Evidence is paged: <c>GET /api/stack</c> carries the newest few items with the count and summary, and
/// <c>GET /api/micromasteries/{slug}/evidence</c> walks the rest newest first, by keyset, every item once.
/// </summary>
public abstract class EvidencePagingTests(HubFixture hub) : IAsyncLifetime
{
    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - slug: omelette
            name: A perfect omelette
            layer: physical
            started: 2026-11-01
            checks:
              - type: manual
        """;

    public Task InitializeAsync() => hub.ResetAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PagesWalkEveryItemOnceNewestFirst_AndTheStackCarriesTheNewestFew()
    {
        for (var i = 0; i < 12; i++)
        {
            var response = await hub.Client.PostAsJsonAsync("/api/micromasteries/omelette/evidence", new { note = $"take {i}", context = $"kitchen {i % 2}" });
            response.EnsureSuccessStatusCode();
        }

        var seen = new List<EvidenceItem>();
        string? before = null;
        var pages = 0;
        do
        {
            var page = (await hub.Client.GetFromJsonAsync<EvidencePage>(
                $"/api/micromasteries/omelette/evidence?limit=5{(before is null ? "" : $"&before={before}")}", HubClientExtensions.Json))!;
            Assert.Equal(12, page.EvidenceCount);
            Assert.True(page.Items.Count <= 5);
            seen.AddRange(page.Items);
            before = page.Next;
            pages++;
        }
        while (before is not null);

        Assert.Equal(3, pages);
        Assert.Equal(12, seen.Select(e => e.ExternalId).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(e => e.ObservedAt).Select(e => e.ObservedAt), seen.Select(e => e.ObservedAt));
        var m = await hub.Client.MicromasteryAsync("omelette");
        Assert.Equal(12, m.EvidenceCount);
        Assert.Equal(PayoffReporter.NewestEvidence, m.Evidence.Count);
        Assert.Equal(seen.Take(PayoffReporter.NewestEvidence).Select(e => e.ExternalId).Reverse(), m.Evidence.Select(e => e.ExternalId));
        Assert.Equal(12, m.Summary!.InWindow);
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.Equal(2, m.Repeatability!.Contexts.Count);
    }

    [Theory]
    [InlineData("?before=not-a-cursor", HttpStatusCode.BadRequest)]
    [InlineData("?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("?limit=201", HttpStatusCode.BadRequest)]
    public async Task BadCursorOrLimit_IsAProblemNamingTheField(string query, HttpStatusCode status)
    {
        var response = await hub.Client.GetAsync($"/api/micromasteries/omelette/evidence{query}");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownSlug_Is404()
    {
        var response = await hub.Client.GetAsync("/api/micromasteries/Omelette/evidence");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class EvidencePagingTests_Sqlite(SqliteHub hub) : EvidencePagingTests(hub);

[Collection(PostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class EvidencePagingTests_Postgres(PostgresHub hub) : EvidencePagingTests(hub);
