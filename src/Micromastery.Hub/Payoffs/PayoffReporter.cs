using System.Data.Common;
using System.Globalization;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Practice;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// Reads verdicts, checks and evidence for the current stack: what the API, the UI and the email show. It reads the
/// summaries the ledger keeps (<see cref="EvidenceSummaries"/>) and a few newest evidence items per micromastery,
/// never the whole history; the rest of the evidence is paged (<see cref="EvidenceAsync"/>).
/// </summary>
internal sealed class PayoffReporter(HubDatabase database, StackStore stack, CheckTypeRegistry types, PayoffLedger ledger, TimeProvider clock)
{
    /// <summary>Evidence items each micromastery of the report carries: the newest few (the API documents the number).</summary>
    public const int NewestEvidence = 5;

    /// <summary>Most evidence items one page may ask for.</summary>
    public const int MaxPage = 200;

    public async Task<StackReport> BuildAsync(CancellationToken cancellationToken) => await BuildAsync(null, NewestEvidence, cancellationToken);

    /// <summary>The report; with <paramref name="only"/>, of that micromastery alone (the stack-wide pace is then left out).</summary>
    public Task<StackReport> BuildAsync(string? only, int newest, CancellationToken cancellationToken) =>
        BuildAsync(only, newest, pace: only is null, cancellationToken);

    /// <summary>The report; without <paramref name="pace"/>, the stack-wide pace (its 52-week series) is neither read nor built.</summary>
    public async Task<StackReport> BuildAsync(string? only, int newest, bool pace, CancellationToken cancellationToken)
    {
        var current = stack.Current;
        var now = clock.GetUtcNow();
        var micromasteries = current.Micromasteries.Where(m => only is null || m.Slug == only).ToList();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, current.TimeZone).DateTime);
        DateOnly? seriesFrom = pace ? Pace.SeriesStart(today) : null;
        var rows = await ReadAsync(current, micromasteries, only, newest, seriesFrom, cancellationToken);

        var items = new List<MicromasteryReport>(micromasteries.Count);
        foreach (var m in micromasteries)
        {
            var checkRows = rows.Checks[m.Slug].Select(r => r.ToSummary()).ToList();
            var summary = rows.Summaries.TryGetValue(m.Slug, out var row) ? row.ToSummary(checkRows) : MicromasterySummary.Empty;
            var checks = m.Checks.Select(c =>
            {
                rows.Statuses.TryGetValue((m.Slug, c.Id), out var status);
                var holds = summary.Check(c.Id)?.Holds == true;
                return new CheckReport(c.Id, c.Type,
                    holds ? CheckStates.Holds : status?.State ?? CheckStates.Pending,
                    holds ? null : status?.Message,
                    At(status?.LastAttemptAt),
                    At(status?.LastSuccessAt),
                    types.ScheduleOf(m, c)?.IsStale(At(status?.LastSuccessAt), now) == true);
            }).ToList();

            var verifiedAt = rows.Payoffs.TryGetValue(m.Slug, out var at) ? DateTimeOffset.FromUnixTimeMilliseconds(at) : (DateTimeOffset?)null;
            var disputed = summary.Disputed(verifiedAt is not null);
            var payoff = disputed ? PayoffStates.Disputed
                : verifiedAt is not null ? PayoffStates.Verified
                : checks.Any(c => c.State is CheckStates.Unknown or CheckStates.NotConfigured) ? PayoffStates.Unknown
                : PayoffStates.Pending;
            var day = m.PlanOn(now);
            // Newest first as read; the report lists the newest few oldest first.
            var evidence = rows.Newest[m.Slug].OrderBy(e => e.ObservedAt).ThenBy(e => e.Id).Select(e => e.ToItem(m)).ToList();
            var planEvidence = rows.PlanEvidence[m.Slug].ToDictionary(r => r.Day, r => (int)r.Evidence, StringComparer.Ordinal);
            var report = new MicromasteryReport(m.Slug, m.Name, m.Layer.Code(), m.Layer.Title(), m.StapleId, m.Started, day.Day, day.Phase, day.Asks,
                payoff, verifiedAt, checks, evidence,
                WindowStart: m.WindowStart,
                Disputed: disputed,
                EvidenceCount: summary.EvidenceCount,
                Summary: summary,
                PlanDayEvidence: [.. Enumerable.Range(0, Pace.PlanDays).Select(i => planEvidence.GetValueOrDefault(Date(m.Started.AddDays(i))))]);
            items.Add(report with
            {
                Practice = Pace.For(report, rows.PracticeTotals.GetValueOrDefault(m.Slug), rows.PlanPractice[m.Slug]),
                Repeatability = Repeatability.From(m, rows.Contexts[m.Slug], types),
            });
        }

        var paceReport = pace ? Pace.Of(items, rows.SeriesPractice, current.TimeZone, now, rows.SeriesEvidence) : null;
        return new StackReport(now, current.TimeZone.Id, stack.Path, stack.Errors.Select(e => e.ToString()).ToList(), items, paceReport);
    }

    /// <summary>
    /// The stored rows, in one snapshot. Summaries follow the stack: when one's entry changed what counts (or a database
    /// was just migrated) they are recomputed first, and read again.
    /// </summary>
    private async Task<ReportRows> ReadAsync(StackDefinition current, IReadOnlyList<Stack.Micromastery> micromasteries, string? only, int newest,
        DateOnly? seriesFrom, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            ReportRows rows;
            await using (var snapshot = await database.BeginSnapshotAsync(connection, cancellationToken))
            {
                rows = await ReportRows.ReadAsync(connection, snapshot, database.Dialect, micromasteries, only, newest, seriesFrom, cancellationToken);
            }

            if (attempt > 0 || current.Micromasteries.All(m => (only is not null && m.Slug != only) || rows.Summaries.GetValueOrDefault(m.Slug)?.Basis == EvidenceSummaries.Basis(m)))
            {
                return rows;
            }

            await ledger.RefreshSummariesAsync(all: false, cancellationToken);
        }
    }

    /// <summary>One micromastery's report (its summary and newest evidence), or null when it is not in the stack.</summary>
    public async Task<MicromasteryReport?> BuildOneAsync(string slug, int newest, CancellationToken cancellationToken) =>
        stack.Current.Find(slug) is null ? null : (await BuildAsync(slug, newest, cancellationToken)).Micromasteries.SingleOrDefault();

    /// <summary>
    /// A page of a micromastery's evidence, newest first, older than the <paramref name="before"/> cursor (keyset on
    /// time and id: each page is one index range however long the history). Null when it is not in the stack or the cursor is malformed.
    /// </summary>
    public async Task<EvidencePage?> EvidenceAsync(string slug, string? before, int limit, CancellationToken cancellationToken)
    {
        if (stack.Current.Find(slug) is not { } m || (before is not null && Cursor.Parse(before) is null))
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var snapshot = await database.BeginSnapshotAsync(connection, cancellationToken);
        var page = await PageAsync(connection, snapshot, m, before, Math.Clamp(limit, 1, MaxPage));
        var count = await connection.ExecuteScalarAsync<long?>("SELECT evidence_count FROM micromastery_summaries WHERE slug = @slug", new { slug }, snapshot) ?? 0;
        return page with { EvidenceCount = count };
    }

    /// <summary>Evidence of one micromastery observed within [<paramref name="from"/>, <paramref name="to"/>), oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<EvidenceItem>> EvidenceBetweenAsync(string slug, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        if (stack.Current.Find(slug) is not { } m)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EvidenceRow>(new CommandDefinition(
            $"{EvidenceRow.Select} WHERE e.slug = @slug AND e.observed_at >= @from AND e.observed_at < @to ORDER BY e.observed_at, e.id LIMIT @limit",
            new { slug, from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToItem(m))];
    }

    private static async Task<EvidencePage> PageAsync(DbConnection connection, DbTransaction transaction, Stack.Micromastery m, string? before, int limit)
    {
        var cursor = before is null ? null : Cursor.Parse(before);
        // One more than asked: whether an older page exists, without counting.
        var rows = (await connection.QueryAsync<EvidenceRow>(
            $"{EvidenceRow.Select} WHERE e.slug = @slug" +
            (cursor is null ? "" : " AND (e.observed_at < @at OR (e.observed_at = @at AND e.id < @id))") +
            " ORDER BY e.observed_at DESC, e.id DESC LIMIT @take",
            new { slug = m.Slug, at = cursor?.At ?? 0, id = cursor?.Id ?? 0, take = limit + 1 }, transaction)).ToList();
        var items = rows.Take(limit).ToList();
        var next = rows.Count > limit ? Cursor.Of(items[^1].ObservedAt, items[^1].Id) : null;
        return new EvidencePage(m.Slug, 0, [.. items.Select(r => r.ToItem(m))], next);
    }

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    /// <summary>The keyset position of a piece of evidence: its time and id, as <c>{ms}-{id}</c>.</summary>
    private sealed record Cursor(long At, long Id)
    {
        public static string Of(long at, long id) => string.Create(CultureInfo.InvariantCulture, $"{at}-{id}");

        public static Cursor? Parse(string text) =>
            text.Split('-') is [var at, var id]
            && long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                ? new Cursor(a, i)
                : null;
    }
}
