using System.Data.Common;
using Dapper;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.CaseStudies;

/// <param name="Facts">The <see cref="DraftFacts"/> it was rendered from; null for drafts older than the fingerprint.</param>
public sealed record DraftInfo(string Slug, int Version, DateTimeOffset CreatedAt, string Reason, int Length, string? Facts = null);

public sealed record Draft(string Slug, int Version, DateTimeOffset CreatedAt, string Reason, string Markdown, string? Facts = null);

/// <summary>The case_study_drafts table: every rendering is a new version; earlier ones are kept.</summary>
internal sealed class DraftStore(HubDatabase database, TimeProvider clock)
{
    public const string FirstVerification = "first verification";
    public const string PayoffVerified = "payoff verified";
    public const string OnDemand = "on demand";
    public const string StoryChanged = "the facts changed";

    /// <summary>
    /// Stores a new version; with <paramref name="onlyIfNone"/> only when the micromastery has no draft
    /// yet, so a re-run of the first-verification job adds nothing. Returns the version, or null.
    /// </summary>
    public async Task<int?> AddAsync(string slug, string markdown, string reason, bool onlyIfNone, CancellationToken ct, string? facts = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await database.OpenAsync(ct);
                return await connection.ExecuteScalarAsync<int?>(
                    "INSERT INTO case_study_drafts (slug, version, created_at, reason, markdown, facts) " +
                    "SELECT @slug, (SELECT COALESCE(MAX(version), 0) + 1 FROM case_study_drafts WHERE slug = @slug), @now, @reason, @markdown, @facts " +
                    "WHERE @onlyIfNone = 0 OR NOT EXISTS (SELECT 1 FROM case_study_drafts WHERE slug = @slug) RETURNING version",
                    new { slug, markdown, reason, now = clock.GetUtcNow().ToUnixTimeMilliseconds(), onlyIfNone = onlyIfNone ? 1 : 0, facts });
            }
            catch (DbException) when (attempt < 5)
            {
                // Two writers picked the same next version; the primary key let one win. Count again.
            }
        }
    }

    public async Task<IReadOnlyList<DraftInfo>> ListAsync(string slug, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(
            "SELECT slug AS Slug, version AS Version, created_at AS CreatedAt, reason AS Reason, markdown AS Markdown, facts AS Facts FROM case_study_drafts WHERE slug = @slug ORDER BY version",
            new { slug });
        return rows.Select(r => new DraftInfo(r.Slug, r.Version, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), r.Reason, r.Markdown.Length, r.Facts)).ToList();
    }

    /// <summary>One version, or the latest when <paramref name="version"/> is null.</summary>
    public async Task<Draft?> GetAsync(string slug, int? version, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QueryFirstOrDefaultAsync<Row>(
            "SELECT slug AS Slug, version AS Version, created_at AS CreatedAt, reason AS Reason, markdown AS Markdown, facts AS Facts FROM case_study_drafts " +
            "WHERE slug = @slug AND (@version IS NULL OR version = @version) ORDER BY version DESC LIMIT 1",
            new { slug, version });
        return row is null ? null : new Draft(row.Slug, row.Version, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), row.Reason, row.Markdown, row.Facts);
    }

    private sealed class Row
    {
        public string Slug { get; set; } = "";
        public int Version { get; set; }
        public long CreatedAt { get; set; }
        public string Reason { get; set; } = "";
        public string Markdown { get; set; } = "";
        public string? Facts { get; set; }
    }
}
