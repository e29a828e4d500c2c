using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Evidence is paged: the stack report (<c>GET /api/stack</c>) carries the newest few items with the count and summary,
/// and the evidence pages (<c>GET /api/micromasteries/{slug}/evidence</c>) walk the rest newest first, by keyset, every
/// item once. On the hub's services without a host (the reporter the endpoints call); the endpoint's answers to a bad
/// cursor, a bad limit and an unknown slug are in <see cref="Access.ProblemAnswerTests"/>.
/// </summary>
public abstract class EvidencePagingTests(StoreFixture store) : IAsyncLifetime
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

    private HubServices hub = null!;

    public async Task InitializeAsync() => hub = await store.CreateAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PagesWalkEveryItemOnceNewestFirst_AndTheStackCarriesTheNewestFew()
    {
        var recorder = hub.Service<ManualEvidenceRecorder>();
        for (var i = 0; i < 12; i++)
        {
            var result = await recorder.RecordAsync("omelette", new ManualEvidence(null, null, $"take {i}", $"kitchen {i % 2}"), CancellationToken.None);
            Assert.Null(result.Error);
        }

        var reporter = hub.Service<PayoffReporter>();
        var seen = new List<EvidenceItem>();
        string? before = null;
        var pages = 0;
        do
        {
            var page = (await reporter.EvidenceAsync("omelette", before, 5, CancellationToken.None))!;
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
        var m = await hub.MicromasteryAsync("omelette");
        Assert.Equal(12, m.EvidenceCount);
        Assert.Equal(PayoffReporter.NewestEvidence, m.Evidence.Count);
        Assert.Equal(seen.Take(PayoffReporter.NewestEvidence).Select(e => e.ExternalId).Reverse(), m.Evidence.Select(e => e.ExternalId));
        Assert.Equal(12, m.Summary!.InWindow);
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.Equal(2, m.Repeatability!.Contexts.Count);
    }

    [Fact]
    public async Task CursorThatNoPageGave_OrUnknownSlug_IsNoPage()
    {
        var reporter = hub.Service<PayoffReporter>();

        Assert.Null(await reporter.EvidenceAsync("omelette", "not-a-cursor", 5, CancellationToken.None));
        Assert.Null(await reporter.EvidenceAsync("Omelette", null, 5, CancellationToken.None));
        Assert.NotNull(await reporter.EvidenceAsync("omelette", null, 5, CancellationToken.None));
    }
}

public sealed class EvidencePagingTests_Sqlite(SqliteStore store) : EvidencePagingTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class EvidencePagingTests_Postgres(PostgresStore store) : EvidencePagingTests(store), IClassFixture<PostgresStore>;
