using Dapper;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.PublicPage;

/// <summary>The published case-study version of a micromastery, and when it went up.</summary>
public sealed record PublishedCaseStudy(string Slug, int Version, DateTimeOffset PublishedAt, string Markdown);

/// <summary>An observation behind a micromastery's evidence, as stored (<see cref="FactsJson"/> is the observation's facts).</summary>
public sealed record RecordedEvidence(string Source, string Kind, string ExternalId, DateTimeOffset ObservedAt, string? Url, string FactsJson)
{
    public Payoffs.Observation ToObservation() => new(Source, Kind, ExternalId, ObservedAt, Url,
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string?>>(FactsJson) ?? []);
}

/// <summary>The owner's publishing choices (migration 004): published case-study versions and evidence marked public.</summary>
public sealed class PublicationStore(HubDatabase database, TimeProvider clock)
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
    /// Every observation that ever became evidence of a micromastery, whatever its checks are today, with the facts
    /// that decide whether it may be disclosed: a check removed from the stack file leaves its evidence (and a
    /// published case study naming it) behind.
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvidence>> RecordedEvidenceAsync(string slug, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Source, string Kind, string ExternalId, long ObservedAt, string? Url, string Facts)>(new CommandDefinition(
            "SELECT DISTINCT o.source, o.kind, o.external_id, o.observed_at, o.url, o.facts FROM evidence e JOIN observations o ON o.id = e.observation_id WHERE e.slug = @slug",
            new { slug }, cancellationToken: ct));
        return [.. rows.Select(r => new RecordedEvidence(r.Source, r.Kind, r.ExternalId, DateTimeOffset.FromUnixTimeMilliseconds(r.ObservedAt), r.Url, r.Facts))];
    }

    private sealed class CaseStudyRow
    {
        public string Slug { get; set; } = "";
        public int Version { get; set; }
        public long PublishedAt { get; set; }
        public string Markdown { get; set; } = "";
    }
}
