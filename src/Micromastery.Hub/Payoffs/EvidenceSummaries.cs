using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>Evidence the ledger just inserted, with the observation it rests on (for its repeatability context).</summary>
internal sealed record NewEvidence(long EvidenceId, string Slug, string CheckId, long ObservationId, long ObservedAt, Observation Observation);

/// <summary>
/// The read model of the evidence (migration 020), kept in the ledger's own transaction: the new evidence of a
/// batch is added as deltas, a source's answer about an object adjusts the micromasteries it supports, and a
/// micromastery whose stack entry changed what counts (window, time zone, checks) is recomputed from its evidence —
/// only that one. <see cref="ComputeAsync"/> is the from-scratch definition the deltas must always equal.
/// </summary>
internal sealed class EvidenceSummaries(HubDatabase database, CheckTypeRegistry types)
{
    /// <summary>The first key of the advisory lock a recomputation takes on PostgreSQL (the second is the slug's hash).</summary>
    private const int SummaryLockKey = 0x4d6d53; // "MmS"

    /// <summary>What a micromastery's summary depends on besides its evidence; a different basis means recompute.</summary>
    public static string Basis(Stack.Micromastery m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.WindowStart.ToUnixTimeMilliseconds()}|{m.TimeZone.Id}|") +
        string.Join(",", m.Checks.Select(c => $"{c.Id}:{c.Type}").Order(StringComparer.Ordinal));

    /// <summary>The summary rows of one micromastery, computed from all its evidence: the definition of every summary.</summary>
    public async Task<SummaryRows> ComputeAsync(DbConnection connection, DbTransaction? transaction, Stack.Micromastery m)
    {
        var rows = (await connection.QueryAsync<EvidenceFacts>(
            "SELECT e.id AS Id, e.check_id AS CheckId, e.observed_at AS ObservedAt, o.source AS Source, o.kind AS Kind, o.external_id AS ExternalId, " +
            "o.url AS Url, o.facts AS Facts, r.state AS Recheck, r.confirmed_at AS ConfirmedAt " +
            "FROM evidence e JOIN observations o ON o.id = e.observation_id LEFT JOIN evidence_rechecks r ON r.observation_id = e.observation_id " +
            "WHERE e.slug = @slug", new { slug = m.Slug }, transaction)).ToList();
        var windowStart = m.WindowStart.ToUnixTimeMilliseconds();
        var window = rows.Where(r => r.ObservedAt >= windowStart).ToList();

        var summary = new SummaryRow(m.Slug, Basis(m), windowStart, rows.Count, rows.Count - window.Count,
            window.Count == 0 ? null : window.Min(r => r.ObservedAt),
            window.Count == 0 ? null : window.Max(r => r.ObservedAt),
            rows.Count == 0 ? null : rows.Max(r => r.ObservedAt),
            window.Count(r => r.Recheck == RecheckStates.Gone),
            rows.Max(r => r.ConfirmedAt));
        var checks = rows.GroupBy(r => r.CheckId, StringComparer.Ordinal).Select(g =>
        {
            var inWindow = g.Where(r => r.ObservedAt >= windowStart).ToList();
            return new CheckRow(m.Slug, g.Key, g.Count(), g.Count() - inWindow.Count,
                inWindow.Count == 0 ? null : inWindow.Min(r => r.ObservedAt), inWindow.Count == 0 ? null : inWindow.Max(r => r.ObservedAt));
        }).OrderBy(c => c.CheckId, StringComparer.Ordinal).ToList();
        var contexts = window
            .Select(r => (Row: r, Context: ContextOf(m, r.CheckId, r.ToObservation())))
            .Where(x => !string.IsNullOrEmpty(x.Context))
            .GroupBy(x => x.Context!, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.OrderBy(x => x.Row.ObservedAt).ThenBy(x => x.Row.Id).First().Row;
                return new ContextRow(m.Slug, g.Key, first.ObservedAt, first.Id, first.ExternalId, g.Count());
            }).OrderBy(c => c.Context, StringComparer.Ordinal).ToList();
        var days = rows.GroupBy(r => Day(r.ObservedAt, m.TimeZone), StringComparer.Ordinal)
            .Select(g => new DayRow(m.Slug, g.Key, g.Count())).OrderBy(d => d.Day, StringComparer.Ordinal).ToList();
        return new SummaryRows(summary, checks, contexts, days);
    }

    /// <summary>The stored summary rows of one micromastery (null summary when it has none).</summary>
    public static async Task<SummaryRows> ReadAsync(DbConnection connection, DbTransaction? transaction, string slug)
    {
        var p = new { slug };
        var summary = await connection.QuerySingleOrDefaultAsync<SummaryRow>($"SELECT {SummaryColumns} FROM micromastery_summaries WHERE slug = @slug", p, transaction);
        var checks = await connection.QueryAsync<CheckRow>($"SELECT {CheckColumns} FROM check_summaries WHERE slug = @slug ORDER BY check_id", p, transaction);
        var contexts = await connection.QueryAsync<ContextRow>($"SELECT {ContextColumns} FROM repeat_contexts WHERE slug = @slug ORDER BY context", p, transaction);
        var days = await connection.QueryAsync<DayRow>("SELECT slug AS Slug, day AS Day, evidence AS Evidence FROM evidence_days WHERE slug = @slug ORDER BY day", p, transaction);
        return new SummaryRows(summary, [.. checks.OrderBy(c => c.CheckId, StringComparer.Ordinal)], [.. contexts.OrderBy(c => c.Context, StringComparer.Ordinal)],
            [.. days.OrderBy(d => d.Day, StringComparer.Ordinal)]);
    }

    internal const string SummaryColumns =
        "slug AS Slug, basis AS Basis, window_start AS WindowStart, evidence_count AS EvidenceCount, prior_count AS PriorCount, first_at AS FirstAt, " +
        "latest_at AS LatestAt, latest_any_at AS LatestAnyAt, gone_count AS GoneCount, last_confirmed_at AS LastConfirmedAt";

    internal const string CheckColumns =
        "slug AS Slug, check_id AS CheckId, evidence_count AS EvidenceCount, prior_count AS PriorCount, first_at AS FirstAt, latest_at AS LatestAt";

    internal const string ContextColumns =
        "slug AS Slug, context AS Context, first_at AS FirstAt, first_evidence_id AS FirstEvidenceId, first_external_id AS FirstExternalId, evidence_count AS EvidenceCount";

    /// <summary>
    /// Brings the summaries in line with the stack: drops those of micromasteries no longer in it and recomputes
    /// those whose basis changed (or all, with <paramref name="all"/>). Returns the slugs recomputed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RefreshAsync(DbConnection connection, DbTransaction transaction, StackDefinition stack, bool all)
    {
        var stored = (await connection.QueryAsync<(string Slug, string Basis)>("SELECT slug, basis FROM micromastery_summaries", transaction: transaction))
            .ToDictionary(r => r.Slug, r => r.Basis, StringComparer.Ordinal);
        foreach (var gone in stored.Keys.Where(s => stack.Find(s) is null).Order(StringComparer.Ordinal))
        {
            await DeleteAsync(connection, transaction, gone);
        }

        var recomputed = new List<string>();
        foreach (var m in stack.Micromasteries)
        {
            if (all || stored.GetValueOrDefault(m.Slug) != Basis(m))
            {
                await RecomputeAsync(connection, transaction, m);
                recomputed.Add(m.Slug);
            }
        }

        return recomputed;
    }

    /// <summary>Recomputes the summaries of <paramref name="slugs"/> whose basis is not the stack's; returns those it recomputed.</summary>
    internal async Task<HashSet<string>> EnsureAsync(DbConnection connection, DbTransaction transaction, StackDefinition stack, IEnumerable<string> slugs)
    {
        var wanted = slugs.Distinct(StringComparer.Ordinal).Where(s => stack.Find(s) is not null).ToArray();
        var recomputed = new HashSet<string>(StringComparer.Ordinal);
        if (wanted.Length == 0)
        {
            return recomputed;
        }

        var stored = (await connection.QueryAsync<(string Slug, string Basis)>(
                $"SELECT slug, basis FROM micromastery_summaries WHERE {database.Dialect.AnyOf("slug", "slugs")}", new { slugs = wanted }, transaction))
            .ToDictionary(r => r.Slug, r => r.Basis, StringComparer.Ordinal);
        foreach (var slug in wanted.Order(StringComparer.Ordinal))
        {
            var m = stack.Find(slug)!;
            if (stored.GetValueOrDefault(slug) != Basis(m))
            {
                await RecomputeAsync(connection, transaction, m);
                recomputed.Add(slug);
            }
        }

        return recomputed;
    }

    private async Task RecomputeAsync(DbConnection connection, DbTransaction transaction, Stack.Micromastery m)
    {
        // Lock the summary first, as the delta path does, so a concurrent writer's delta lands on top of this result, not under it;
        // two recomputations of one micromastery (a hub starting, a reader) take turns on an advisory lock, as the row may not exist yet.
        if (database.Provider == StorageProvider.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key, hashtext(@slug))", new { key = SummaryLockKey, slug = m.Slug }, transaction);
            await connection.ExecuteAsync("SELECT 1 FROM micromastery_summaries WHERE slug = @slug FOR UPDATE", new { slug = m.Slug }, transaction);
        }

        var rows = await ComputeAsync(connection, transaction, m);
        await DeleteDetailAsync(connection, transaction, m.Slug);
        // Updated in place, never deleted and inserted again: a concurrent writer waiting on this row must find it to add its delta.
        await connection.ExecuteAsync(
            "INSERT INTO micromastery_summaries (slug, basis, window_start, evidence_count, prior_count, first_at, latest_at, latest_any_at, gone_count, last_confirmed_at) " +
            "VALUES (@Slug, @Basis, @WindowStart, @EvidenceCount, @PriorCount, @FirstAt, @LatestAt, @LatestAnyAt, @GoneCount, @LastConfirmedAt) " +
            "ON CONFLICT (slug) DO UPDATE SET basis = excluded.basis, window_start = excluded.window_start, evidence_count = excluded.evidence_count, " +
            "prior_count = excluded.prior_count, first_at = excluded.first_at, latest_at = excluded.latest_at, latest_any_at = excluded.latest_any_at, " +
            "gone_count = excluded.gone_count, last_confirmed_at = excluded.last_confirmed_at", rows.Summary, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO check_summaries (slug, check_id, evidence_count, prior_count, first_at, latest_at) VALUES (@Slug, @CheckId, @EvidenceCount, @PriorCount, @FirstAt, @LatestAt)",
            rows.Checks, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO repeat_contexts (slug, context, first_at, first_evidence_id, first_external_id, evidence_count) " +
            "VALUES (@Slug, @Context, @FirstAt, @FirstEvidenceId, @FirstExternalId, @EvidenceCount)", rows.Contexts, transaction);
        await connection.ExecuteAsync("INSERT INTO evidence_days (slug, day, evidence) VALUES (@Slug, @Day, @Evidence)", rows.Days, transaction);
    }

    /// <summary>A micromastery removed from the stack: its summaries go (its evidence stays, as it always has).</summary>
    private static async Task DeleteAsync(DbConnection connection, DbTransaction transaction, string slug)
    {
        await DeleteDetailAsync(connection, transaction, slug);
        await connection.ExecuteAsync("DELETE FROM micromastery_summaries WHERE slug = @slug", new { slug }, transaction);
    }

    private static async Task DeleteDetailAsync(DbConnection connection, DbTransaction transaction, string slug)
    {
        foreach (var table in new[] { "check_summaries", "repeat_contexts", "evidence_days" })
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE slug = @slug", new { slug }, transaction);
        }
    }

    /// <summary>Adds evidence the ledger just inserted, as deltas, in the same transaction.</summary>
    internal async Task AddAsync(DbConnection connection, DbTransaction transaction, StackDefinition stack, IReadOnlyList<NewEvidence> added)
    {
        if (added.Count == 0)
        {
            return;
        }

        // A micromastery whose summary had to be recomputed already counts this evidence; one no longer in the stack has none.
        var recomputed = await EnsureAsync(connection, transaction, stack, added.Select(e => e.Slug));
        var rows = added.Where(e => !recomputed.Contains(e.Slug) && stack.Find(e.Slug) is not null).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var observationIds = rows.Select(r => r.ObservationId).Distinct().ToArray();
        var rechecks = (await connection.QueryAsync<(long Id, string State, long? ConfirmedAt)>(
                $"SELECT observation_id, state, confirmed_at FROM evidence_rechecks WHERE {database.Dialect.AnyOf("observation_id", "ids")}", new { ids = observationIds }, transaction))
            .ToDictionary(r => r.Id);

        foreach (var group in rows.GroupBy(r => r.Slug, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var m = stack.Find(group.Key)!;
            var windowStart = m.WindowStart.ToUnixTimeMilliseconds();
            var all = group.ToList();
            var window = all.Where(r => r.ObservedAt >= windowStart).ToList();
            await connection.ExecuteAsync(
                "UPDATE micromastery_summaries SET evidence_count = evidence_count + @count, prior_count = prior_count + @prior, " +
                $"first_at = {Least("first_at", "@first")}, latest_at = {Greatest("latest_at", "@latest")}, latest_any_at = {Greatest("latest_any_at", "@latestAny")}, " +
                $"gone_count = gone_count + @gone, last_confirmed_at = {Greatest("last_confirmed_at", "@confirmed")} WHERE slug = @slug",
                new
                {
                    slug = m.Slug, count = (long)all.Count, prior = (long)(all.Count - window.Count),
                    first = window.Count == 0 ? null : (long?)window.Min(r => r.ObservedAt),
                    latest = window.Count == 0 ? null : (long?)window.Max(r => r.ObservedAt),
                    latestAny = (long?)all.Max(r => r.ObservedAt),
                    gone = (long)window.Count(r => rechecks.TryGetValue(r.ObservationId, out var c) && c.State == RecheckStates.Gone),
                    confirmed = all.Select(r => rechecks.TryGetValue(r.ObservationId, out var c) ? c.ConfirmedAt : null).Max(),
                }, transaction);

            foreach (var check in all.GroupBy(r => r.CheckId, StringComparer.Ordinal))
            {
                var inWindow = check.Where(r => r.ObservedAt >= windowStart).ToList();
                await connection.ExecuteAsync(
                    "INSERT INTO check_summaries (slug, check_id, evidence_count, prior_count, first_at, latest_at) VALUES (@slug, @check, @count, @prior, @first, @latest) " +
                    "ON CONFLICT (slug, check_id) DO UPDATE SET evidence_count = check_summaries.evidence_count + excluded.evidence_count, " +
                    "prior_count = check_summaries.prior_count + excluded.prior_count, " +
                    $"first_at = {Least("check_summaries.first_at", "excluded.first_at")}, latest_at = {Greatest("check_summaries.latest_at", "excluded.latest_at")}",
                    new
                    {
                        slug = m.Slug, check = check.Key, count = (long)check.Count(), prior = (long)(check.Count() - inWindow.Count),
                        first = inWindow.Count == 0 ? null : (long?)inWindow.Min(r => r.ObservedAt),
                        latest = inWindow.Count == 0 ? null : (long?)inWindow.Max(r => r.ObservedAt),
                    }, transaction);
            }

            foreach (var context in window.Select(r => (Row: r, Context: ContextOf(m, r.CheckId, r.Observation)))
                         .Where(x => !string.IsNullOrEmpty(x.Context)).GroupBy(x => x.Context!, StringComparer.Ordinal))
            {
                var first = context.OrderBy(x => x.Row.ObservedAt).ThenBy(x => x.Row.EvidenceId).First().Row;
                const string earlier = "(excluded.first_at < repeat_contexts.first_at OR (excluded.first_at = repeat_contexts.first_at AND excluded.first_evidence_id < repeat_contexts.first_evidence_id))";
                await connection.ExecuteAsync(
                    "INSERT INTO repeat_contexts (slug, context, first_at, first_evidence_id, first_external_id, evidence_count) VALUES (@slug, @context, @at, @id, @ext, @count) " +
                    "ON CONFLICT (slug, context) DO UPDATE SET evidence_count = repeat_contexts.evidence_count + excluded.evidence_count, " +
                    $"first_at = CASE WHEN {earlier} THEN excluded.first_at ELSE repeat_contexts.first_at END, " +
                    $"first_evidence_id = CASE WHEN {earlier} THEN excluded.first_evidence_id ELSE repeat_contexts.first_evidence_id END, " +
                    $"first_external_id = CASE WHEN {earlier} THEN excluded.first_external_id ELSE repeat_contexts.first_external_id END",
                    new { slug = m.Slug, context = context.Key, at = first.ObservedAt, id = first.EvidenceId, ext = first.Observation.ExternalId, count = (long)context.Count() },
                    transaction);
            }

            foreach (var day in all.GroupBy(r => Day(r.ObservedAt, m.TimeZone), StringComparer.Ordinal))
            {
                await connection.ExecuteAsync(
                    "INSERT INTO evidence_days (slug, day, evidence) VALUES (@slug, @day, @count) ON CONFLICT (slug, day) DO UPDATE SET evidence = evidence_days.evidence + excluded.evidence",
                    new { slug = m.Slug, day = day.Key, count = (long)day.Count() }, transaction);
            }
        }
    }

    /// <summary>
    /// A source's answer about one observed object changed: the micromasteries it is evidence for count it as gone
    /// (or no longer gone) and take its confirmation time. Called by <see cref="RecheckStore"/> in the same transaction.
    /// </summary>
    internal static async Task RecheckedAsync(DbConnection connection, DbTransaction? transaction, long observationId, string? stateBefore, long? confirmedBefore, string stateAfter, long? confirmedAfter)
    {
        var delta = (stateAfter == RecheckStates.Gone ? 1 : 0) - (stateBefore == RecheckStates.Gone ? 1 : 0);
        if (delta != 0)
        {
            await connection.ExecuteAsync(
                "UPDATE micromastery_summaries SET gone_count = gone_count + @delta * (SELECT count(*) FROM evidence e WHERE e.slug = micromastery_summaries.slug " +
                "AND e.observation_id = @id AND e.observed_at >= micromastery_summaries.window_start) WHERE slug IN (SELECT slug FROM evidence WHERE observation_id = @id)",
                new { delta = (long)delta, id = observationId }, transaction);
        }

        if (confirmedAfter is { } confirmed && confirmed != confirmedBefore)
        {
            await connection.ExecuteAsync(
                $"UPDATE micromastery_summaries SET last_confirmed_at = {Greatest("last_confirmed_at", "@confirmed")} WHERE slug IN (SELECT slug FROM evidence WHERE observation_id = @id)",
                new { confirmed, id = observationId }, transaction);
        }
    }

    private string? ContextOf(Stack.Micromastery m, string checkId, Observation observation) =>
        m.Checks.FirstOrDefault(c => c.Id == checkId) is { } check ? types.Find(check.Type)?.ContextOf(observation) : null;

    /// <summary>The day an instant falls on in a time zone, as yyyy-MM-dd.</summary>
    public static string Day(long at, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(at), zone).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Null means "no value": the other side wins. Written as CASE so the same SQL runs on SQLite and PostgreSQL.
    private static string Least(string current, string candidate) =>
        $"CASE WHEN {candidate} IS NULL THEN {current} WHEN {current} IS NULL OR {candidate} < {current} THEN {candidate} ELSE {current} END";

    private static string Greatest(string current, string candidate) =>
        $"CASE WHEN {candidate} IS NULL THEN {current} WHEN {current} IS NULL OR {candidate} > {current} THEN {candidate} ELSE {current} END";

    private sealed class EvidenceFacts : ObservationRow
    {
        public long Id { get; set; }
        public string CheckId { get; set; } = "";
        public string? Recheck { get; set; }
        public long? ConfirmedAt { get; set; }
    }
}

/// <summary>The stored (or computed) summary rows of one micromastery, in key order: what the equivalence test compares.</summary>
internal sealed record SummaryRows(SummaryRow? Summary, IReadOnlyList<CheckRow> Checks, IReadOnlyList<ContextRow> Contexts, IReadOnlyList<DayRow> Days)
{
    public override string ToString() => JsonSerializer.Serialize(this);
}

internal sealed record SummaryRow(string Slug, string Basis, long WindowStart, long EvidenceCount, long PriorCount, long? FirstAt, long? LatestAt, long? LatestAnyAt, long GoneCount, long? LastConfirmedAt)
{
    public MicromasterySummary ToSummary(IReadOnlyList<CheckSummary> checks) => new(EvidenceCount, PriorCount, At(FirstAt), At(LatestAt), At(LatestAnyAt), GoneCount, At(LastConfirmedAt), checks);

    internal static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}

internal sealed record CheckRow(string Slug, string CheckId, long EvidenceCount, long PriorCount, long? FirstAt, long? LatestAt)
{
    public CheckSummary ToSummary() => new(CheckId, EvidenceCount, PriorCount, SummaryRow.At(FirstAt), SummaryRow.At(LatestAt));
}

internal sealed record ContextRow(string Slug, string Context, long FirstAt, long FirstEvidenceId, string FirstExternalId, long EvidenceCount);

internal sealed record DayRow(string Slug, string Day, long Evidence);
