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
    public async Task<StackReport> BuildAsync(string? only, int newest, CancellationToken cancellationToken)
    {
        var current = stack.Current;
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureSummariesAsync(connection, current, cancellationToken);
        await using var snapshot = await database.BeginSnapshotAsync(connection, cancellationToken);
        var micromasteries = current.Micromasteries.Where(m => only is null || m.Slug == only).ToList();

        var summaries = (await connection.QueryAsync<SummaryRow>($"SELECT {EvidenceSummaries.SummaryColumns} FROM micromastery_summaries", transaction: snapshot))
            .ToDictionary(r => r.Slug, StringComparer.Ordinal);
        var checkSummaries = (await connection.QueryAsync<CheckRow>($"SELECT {EvidenceSummaries.CheckColumns} FROM check_summaries", transaction: snapshot)).ToLookup(r => r.Slug);
        var contexts = (await connection.QueryAsync<ContextRow>($"SELECT {EvidenceSummaries.ContextColumns} FROM repeat_contexts", transaction: snapshot)).ToLookup(r => r.Slug);
        var payoffs = (await connection.QueryAsync<PayoffRow>("SELECT slug AS Slug, verified_at AS VerifiedAt FROM payoffs", transaction: snapshot))
            .ToDictionary(p => p.Slug, p => DateTimeOffset.FromUnixTimeMilliseconds(p.VerifiedAt));
        var statuses = (await connection.QueryAsync<StatusRow>(
                "SELECT slug AS Slug, check_id AS CheckId, state AS State, message AS Message, last_attempt_at AS LastAttemptAt, last_success_at AS LastSuccessAt FROM check_status", transaction: snapshot))
            .ToDictionary(s => (s.Slug, s.CheckId));
        var totals = await PracticeTotals.TotalsAsync(connection, snapshot, cancellationToken);

        var items = new List<MicromasteryReport>(micromasteries.Count);
        foreach (var m in micromasteries)
        {
            var checkRows = checkSummaries[m.Slug].Select(r => r.ToSummary()).ToList();
            var summary = summaries.TryGetValue(m.Slug, out var row) ? row.ToSummary(checkRows) : MicromasterySummary.Empty;
            var checks = m.Checks.Select(c =>
            {
                statuses.TryGetValue((m.Slug, c.Id), out var status);
                var holds = summary.Check(c.Id)?.Holds == true;
                return new CheckReport(c.Id, c.Type,
                    holds ? CheckStates.Holds : status?.State ?? CheckStates.Pending,
                    holds ? null : status?.Message,
                    At(status?.LastAttemptAt),
                    At(status?.LastSuccessAt),
                    types.ScheduleOf(m, c)?.IsStale(At(status?.LastSuccessAt), now) == true);
            }).ToList();

            var verifiedAt = payoffs.TryGetValue(m.Slug, out var at) ? at : (DateTimeOffset?)null;
            var disputed = summary.Disputed(verifiedAt is not null);
            var payoff = disputed ? PayoffStates.Disputed
                : verifiedAt is not null ? PayoffStates.Verified
                : checks.Any(c => c.State is CheckStates.Unknown or CheckStates.NotConfigured) ? PayoffStates.Unknown
                : PayoffStates.Pending;
            var day = m.PlanOn(now);
            var evidence = newest == 0 ? [] : (await PageAsync(connection, snapshot, m, null, newest)).Items.Reverse().ToList();
            var planDays = await PracticeTotals.DaysOfAsync(connection, snapshot, m.Slug, m.Started, m.Started.AddDays(Pace.PlanDays - 1), cancellationToken);
            var planEvidence = (await connection.QueryAsync<(string Day, long Evidence)>(
                    "SELECT day, evidence FROM evidence_days WHERE slug = @slug AND day >= @from AND day <= @to",
                    new { slug = m.Slug, from = Date(m.Started), to = Date(m.Started.AddDays(Pace.PlanDays - 1)) }, snapshot))
                .ToDictionary(r => r.Day, r => (int)r.Evidence, StringComparer.Ordinal);
            var report = new MicromasteryReport(m.Slug, m.Name, m.Layer.Code(), m.Layer.Title(), m.StapleId, m.Started, day.Day, day.Phase, day.Asks,
                payoff, verifiedAt, checks, evidence,
                WindowStart: m.WindowStart,
                Disputed: disputed,
                EvidenceCount: summary.EvidenceCount,
                Summary: summary,
                PlanDayEvidence: [.. Enumerable.Range(0, Pace.PlanDays).Select(i => planEvidence.GetValueOrDefault(Date(m.Started.AddDays(i))))]);
            items.Add(report with
            {
                Practice = Pace.For(report, totals.GetValueOrDefault(m.Slug), planDays),
                Repeatability = Repeatability.From(m, contexts[m.Slug], types),
            });
        }

        PaceReport? pace = null;
        if (only is null)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, current.TimeZone).DateTime);
            var from = Pace.SeriesStart(today);
            var practice = await PracticeTotals.DaysAsync(connection, snapshot, from, cancellationToken);
            var evidencePerDay = (await connection.QueryAsync<(string Day, long Evidence)>(
                    "SELECT day, SUM(evidence) FROM evidence_days WHERE day >= @from GROUP BY day", new { from = Date(from) }, snapshot))
                .ToDictionary(r => DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), r => (int)r.Evidence);
            pace = Pace.Of(items, practice, current.TimeZone, now, evidencePerDay);
        }

        return new StackReport(now, current.TimeZone.Id, stack.Path, stack.Errors.Select(e => e.ToString()).ToList(), items, pace);
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
            $"{EvidenceSelect} WHERE e.slug = @slug AND e.observed_at >= @from AND e.observed_at < @to ORDER BY e.observed_at, e.id LIMIT @limit",
            new { slug, from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToItem(m))];
    }

    private const string EvidenceSelect =
        "SELECT e.id AS Id, e.check_id AS CheckId, o.source AS Source, o.external_id AS ExternalId, e.observed_at AS ObservedAt, o.url AS Url, " +
        "r.state AS Recheck, r.detail AS RecheckDetail, r.checked_at AS RecheckedAt, r.confirmed_at AS ConfirmedAt " +
        "FROM evidence e JOIN observations o ON o.id = e.observation_id LEFT JOIN evidence_rechecks r ON r.observation_id = e.observation_id";

    private static async Task<EvidencePage> PageAsync(DbConnection connection, DbTransaction transaction, Stack.Micromastery m, string? before, int limit)
    {
        var cursor = before is null ? null : Cursor.Parse(before);
        // One more than asked: whether an older page exists, without counting.
        var rows = (await connection.QueryAsync<EvidenceRow>(
            $"{EvidenceSelect} WHERE e.slug = @slug" +
            (cursor is null ? "" : " AND (e.observed_at < @at OR (e.observed_at = @at AND e.id < @id))") +
            " ORDER BY e.observed_at DESC, e.id DESC LIMIT @take",
            new { slug = m.Slug, at = cursor?.At ?? 0, id = cursor?.Id ?? 0, take = limit + 1 }, transaction)).ToList();
        var items = rows.Take(limit).ToList();
        var next = rows.Count > limit ? Cursor.Of(items[^1].ObservedAt, items[^1].Id) : null;
        return new EvidencePage(m.Slug, 0, [.. items.Select(r => r.ToItem(m))], next);
    }

    /// <summary>Summaries follow the stack: one whose entry changed what counts (or a database just migrated) is recomputed before it is read.</summary>
    private async Task EnsureSummariesAsync(DbConnection connection, StackDefinition current, CancellationToken cancellationToken)
    {
        var stored = (await connection.QueryAsync<(string Slug, string Basis)>("SELECT slug, basis FROM micromastery_summaries"))
            .ToDictionary(r => r.Slug, r => r.Basis, StringComparer.Ordinal);
        if (current.Micromasteries.Any(m => stored.GetValueOrDefault(m.Slug) != EvidenceSummaries.Basis(m)))
        {
            await ledger.RefreshSummariesAsync(all: false, cancellationToken);
        }
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

    private sealed class EvidenceRow
    {
        public long Id { get; set; }
        public string CheckId { get; set; } = "";
        public string Source { get; set; } = "";
        public string ExternalId { get; set; } = "";
        public long ObservedAt { get; set; }
        public string? Url { get; set; }
        public string? Recheck { get; set; }
        public string? RecheckDetail { get; set; }
        public long? RecheckedAt { get; set; }
        public long? ConfirmedAt { get; set; }

        public EvidenceItem ToItem(Stack.Micromastery m)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(ObservedAt);
            return new EvidenceItem(CheckId, Source, ExternalId, at, Url, m.IsPrior(at), Recheck, RecheckDetail, PayoffReporter.At(RecheckedAt), PayoffReporter.At(ConfirmedAt));
        }
    }

    private sealed class PayoffRow
    {
        public string Slug { get; set; } = "";
        public long VerifiedAt { get; set; }
    }

    private sealed class StatusRow
    {
        public string Slug { get; set; } = "";
        public string CheckId { get; set; } = "";
        public string State { get; set; } = "";
        public string? Message { get; set; }
        public long? LastAttemptAt { get; set; }
        public long? LastSuccessAt { get; set; }
    }
}
