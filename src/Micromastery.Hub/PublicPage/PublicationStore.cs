using Dapper;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.PublicPage;

/// <summary>The published case-study version of a micromastery, and when it went up.</summary>
internal sealed record PublishedCaseStudy(string Slug, int Version, DateTimeOffset PublishedAt, string Markdown);

/// <summary>The owner's publishing choices (migration 004): published case-study versions and evidence marked public.</summary>
internal sealed class PublicationStore(HubDatabase database, TimeProvider clock)
{
    /// <summary>Publishes <paramref name="version"/> in place of any earlier one; false when that draft does not exist.</summary>
    public async Task<bool> PublishAsync(string slug, int version, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var write = await database.BeginWriteAsync(connection, ct);
        var exists = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM case_study_drafts WHERE slug = @slug AND version = @version", new { slug, version }, write.Transaction);
        if (exists == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(
            "INSERT INTO published_case_studies (slug, version, published_at) VALUES (@slug, @version, @now) " +
            "ON CONFLICT (slug) DO UPDATE SET version = excluded.version, published_at = excluded.published_at",
            new { slug, version, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, write.Transaction);
        await ChangeCounter.BumpAsync(connection, write.Transaction, ct);
        await write.CommitAsync(ct);
        return true;
    }

    /// <summary>Takes the published case study down; false when none was published.</summary>
    public async Task<bool> UnpublishAsync(string slug, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var removed = await connection.ExecuteAsync("DELETE FROM published_case_studies WHERE slug = @slug", new { slug }) > 0;
        await ChangeCounter.BumpAsync(connection, null, ct); // after the change's commit: a reader never caches the old page as new
        return removed;
    }

    public async Task<IReadOnlyDictionary<string, PublishedCaseStudy>> CaseStudiesAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<CaseStudyRow>(
            "SELECT p.slug AS Slug, p.version AS Version, p.published_at AS PublishedAt, d.markdown AS Markdown " +
            "FROM published_case_studies p JOIN case_study_drafts d ON d.slug = p.slug AND d.version = p.version");
        return rows.ToDictionary(r => r.Slug, r => new PublishedCaseStudy(r.Slug, r.Version, DateTimeOffset.FromUnixTimeMilliseconds(r.PublishedAt), r.Markdown), StringComparer.Ordinal);
    }

    /// <summary>Marks (or unmarks) one piece of evidence public: its link may then be shown to strangers.</summary>
    public async Task SetEvidencePublicAsync(string slug, string source, string externalId, bool isPublic, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(isPublic
                ? "INSERT INTO public_evidence (slug, source, external_id, marked_at) VALUES (@slug, @source, @externalId, @now) ON CONFLICT DO NOTHING"
                : "DELETE FROM public_evidence WHERE slug = @slug AND source = @source AND external_id = @externalId",
            new { slug, source, externalId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        await ChangeCounter.BumpAsync(connection, null, ct);
    }

    public async Task<IReadOnlySet<(string Slug, string Source, string ExternalId)>> PublicEvidenceAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string, string, string)>("SELECT slug, source, external_id FROM public_evidence");
        return rows.ToHashSet();
    }

    /// <summary>
    /// The observations behind a micromastery's evidence, by (source, external id): what decides whether a link is public by nature.
    /// All of them (one micromastery's; only a published case study needs that), or those of <paramref name="only"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<(string Source, string ExternalId), EvidenceFacts>> EvidenceFactsAsync(
        string slug, IReadOnlyList<(string Source, string ExternalId)>? only, CancellationToken ct)
    {
        if (only is { Count: 0 })
        {
            return new Dictionary<(string, string), EvidenceFacts>();
        }

        await using var connection = await database.OpenAsync(ct);
        var sql = "SELECT e.check_id AS CheckId, o.source AS Source, o.kind AS Kind, o.external_id AS ExternalId, o.observed_at AS ObservedAt, o.url AS Url, o.facts AS Facts " +
                  "FROM evidence e JOIN observations o ON o.id = e.observation_id WHERE e.slug = @slug";
        var rows = only is null
            ? await connection.QueryAsync<EvidenceFacts>(sql, new { slug })
            : await connection.QueryAsync<EvidenceFacts>(sql + $" AND {database.Dialect.AnyOf("o.external_id", "ids")}",
                new { slug, ids = only.Select(k => k.ExternalId).Distinct().ToArray() });
        return rows.GroupBy(r => (r.Source, r.ExternalId)).ToDictionary(g => g.Key, g => g.First());
    }

    public Task<IReadOnlyDictionary<(string Source, string ExternalId), EvidenceFacts>> EvidenceFactsAsync(string slug, CancellationToken ct) =>
        EvidenceFactsAsync(slug, null, ct);

    private sealed class CaseStudyRow
    {
        public string Slug { get; set; } = "";
        public int Version { get; set; }
        public long PublishedAt { get; set; }
        public string Markdown { get; set; } = "";
    }
}

/// <summary>The observation behind one piece of evidence, as the disclosure rule needs it.</summary>
internal sealed class EvidenceFacts
{
    public string CheckId { get; set; } = "";
    public string Source { get; set; } = "";
    public string Kind { get; set; } = "";
    public string ExternalId { get; set; } = "";
    public long ObservedAt { get; set; }
    public string? Url { get; set; }
    public string Facts { get; set; } = "{}";

    public Payoffs.Observation ToObservation() => new(Source, Kind, ExternalId, DateTimeOffset.FromUnixTimeMilliseconds(ObservedAt), Url,
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string?>>(Facts) ?? []);
}
