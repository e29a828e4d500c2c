using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Practice;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// Every stored row the report shows, for all its micromasteries at once: one batch of set queries (one round trip
/// on PostgreSQL, a few statements on SQLite) read in one snapshot, however many micromasteries the stack holds.
/// What a row means is decided by <see cref="PayoffReporter"/>; here is only what is read, and how.
/// </summary>
internal sealed record ReportRows(
    IReadOnlyDictionary<string, SummaryRow> Summaries,
    ILookup<string, CheckRow> Checks,
    ILookup<string, ContextRow> Contexts,
    IReadOnlyDictionary<string, long> Payoffs,
    IReadOnlyDictionary<(string Slug, string CheckId), CheckStatusRow> Statuses,
    IReadOnlyDictionary<string, PracticeTotal> PracticeTotals,
    ILookup<string, PracticeDayTotal> PlanPractice,
    ILookup<string, DayRow> PlanEvidence,
    ILookup<string, EvidenceRow> Newest,
    IReadOnlyList<PracticeDayTotal> SeriesPractice,
    IReadOnlyDictionary<DateOnly, int> SeriesEvidence)
{
    /// <summary>
    /// Reads the rows of <paramref name="micromasteries"/> (all of the stack's, or the one a page shows): the
    /// summaries, the seven plan days of each, its <paramref name="newest"/> evidence items (an index range each), and
    /// with <paramref name="seriesFrom"/> the stack's practice and evidence per day from then on.
    /// </summary>
    public static async Task<ReportRows> ReadAsync(DbConnection connection, DbTransaction snapshot, SqlDialect dialect, IReadOnlyList<Stack.Micromastery> micromasteries,
        string? only, int newest, DateOnly? seriesFrom, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        parameters.Add("only", only);
        parameters.Add("take", newest);
        parameters.Add("series", seriesFrom is { } from ? Date(from) : null);
        var perKey = dialect.KeysAsArrays ? new PerKeyArrays(micromasteries, parameters) : (IPerKey)new PerKeyUnion(micromasteries, parameters);

        var where = only is null ? "" : " WHERE slug = @only";
        var sql = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"SELECT {EvidenceSummaries.SummaryColumns} FROM micromastery_summaries{where};\n")
            .Append(CultureInfo.InvariantCulture, $"SELECT {EvidenceSummaries.CheckColumns} FROM check_summaries{where};\n")
            .Append(CultureInfo.InvariantCulture, $"SELECT {EvidenceSummaries.ContextColumns} FROM repeat_contexts{where};\n")
            .Append(CultureInfo.InvariantCulture, $"SELECT slug AS Slug, verified_at AS VerifiedAt FROM payoffs{where};\n")
            .Append(CultureInfo.InvariantCulture, $"SELECT {CheckStatusRow.Columns} FROM check_status{where};\n")
            .Append(CultureInfo.InvariantCulture, $"{Practice.PracticeTotals.TotalsSql}{where};\n");
        var perMicromastery = micromasteries.Count > 0;
        if (perMicromastery)
        {
            // One index range per micromastery, all in one statement: its plan days of practice and of evidence.
            sql.Append(perKey.Ranges("SELECT d.slug AS Slug, d.local_date AS Day, d.minutes AS Minutes, d.blocks AS Blocks FROM practice_days d", "d.local_date"));
            sql.Append(perKey.Ranges("SELECT d.slug AS Slug, d.day AS Day, d.evidence AS Evidence FROM evidence_days d", "d.day"));
        }

        var withNewest = perMicromastery && newest > 0;
        if (withNewest)
        {
            // The newest of each micromastery, each an index range of evidence_newest.
            sql.Append(perKey.Newest($"{EvidenceRow.Select} WHERE e.slug = {{0}} ORDER BY e.observed_at DESC, e.id DESC LIMIT @take"));
        }

        if (seriesFrom is not null)
        {
            sql.Append("SELECT local_date AS Day, CAST(SUM(minutes) AS bigint) AS Minutes, CAST(SUM(blocks) AS bigint) AS Blocks FROM practice_days WHERE local_date >= @series GROUP BY local_date;\n");
            sql.Append("SELECT day AS Day, CAST(SUM(evidence) AS bigint) AS Evidence FROM evidence_days WHERE day >= @series GROUP BY day;\n");
        }

        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql.ToString(), parameters, snapshot, cancellationToken: cancellationToken));
        var summaries = (await grid.ReadAsync<SummaryRow>()).ToDictionary(r => r.Slug, StringComparer.Ordinal);
        var checks = (await grid.ReadAsync<CheckRow>()).ToLookup(r => r.Slug, StringComparer.Ordinal);
        var contexts = (await grid.ReadAsync<ContextRow>()).ToLookup(r => r.Slug, StringComparer.Ordinal);
        var payoffs = (await grid.ReadAsync<(string Slug, long VerifiedAt)>()).ToDictionary(r => r.Slug, r => r.VerifiedAt, StringComparer.Ordinal);
        var statuses = (await grid.ReadAsync<CheckStatusRow>()).ToDictionary(s => (s.Slug, s.CheckId));
        var totals = Practice.PracticeTotals.ToTotals(await grid.ReadAsync<(string Slug, long Minutes, string? LastDate)>());
        var planPractice = perMicromastery
            ? (await grid.ReadAsync<(string Slug, string Day, long Minutes, long Blocks)>()).Select(r => new PracticeDayTotal(r.Slug, Day(r.Day), (int)r.Minutes, (int)r.Blocks)).ToList()
            : [];
        var planEvidence = perMicromastery ? (await grid.ReadAsync<DayRow>()).ToList() : [];
        var newestRows = withNewest ? (await grid.ReadAsync<EvidenceRow>()).ToList() : [];
        IReadOnlyList<PracticeDayTotal> seriesPractice = [];
        IReadOnlyDictionary<DateOnly, int> seriesEvidence = new Dictionary<DateOnly, int>();
        if (seriesFrom is not null)
        {
            // Summed over the stack per day: the series and the streak draw the stack, not each micromastery.
            seriesPractice = [.. (await grid.ReadAsync<(string Day, long Minutes, long Blocks)>()).Select(r => new PracticeDayTotal("", Day(r.Day), (int)r.Minutes, (int)r.Blocks))];
            seriesEvidence = (await grid.ReadAsync<(string Day, long Evidence)>()).ToDictionary(r => Day(r.Day), r => (int)r.Evidence);
        }

        return new ReportRows(summaries, checks, contexts, payoffs, statuses, totals,
            planPractice.ToLookup(r => r.Slug, StringComparer.Ordinal), planEvidence.ToLookup(r => r.Slug, StringComparer.Ordinal),
            newestRows.ToLookup(r => r.Slug, StringComparer.Ordinal), seriesPractice, seriesEvidence);
    }

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string PlanEnd(Stack.Micromastery m) => Date(m.Started.AddDays(Pace.PlanDays - 1));

    /// <summary>The same query for each micromastery, written as the dialect plans it best (<see cref="SqlDialect.KeysAsArrays"/>).</summary>
    private interface IPerKey
    {
        /// <summary>Each micromastery's rows of <paramref name="select"/> (aliased d) with <paramref name="day"/> in its seven plan days.</summary>
        string Ranges(string select, string day);

        /// <summary>Each micromastery's rows of <paramref name="query"/>, whose {0} stands for its slug.</summary>
        string Newest(string query);
    }

    /// <summary>PostgreSQL: one statement joining arrays of slugs and plan days, planned once however many micromasteries.</summary>
    private sealed class PerKeyArrays : IPerKey
    {
        public PerKeyArrays(IReadOnlyList<Stack.Micromastery> micromasteries, DynamicParameters parameters)
        {
            parameters.Add("slugs", micromasteries.Select(m => m.Slug).ToArray());
            parameters.Add("froms", micromasteries.Select(m => Date(m.Started)).ToArray());
            parameters.Add("tos", micromasteries.Select(PlanEnd).ToArray());
        }

        public string Ranges(string select, string day) =>
            $"{select} JOIN unnest(@slugs, @froms, @tos) AS p(slug, first_day, last_day) ON d.slug = p.slug AND {day} >= p.first_day AND {day} <= p.last_day;\n";

        public string Newest(string query) =>
            $"SELECT n.* FROM unnest(@slugs) AS p(slug) CROSS JOIN LATERAL ({string.Format(CultureInfo.InvariantCulture, query, "p.slug")}) AS n;\n";
    }

    /// <summary>SQLite: a UNION ALL of one branch per micromastery (LIMIT inside a subquery, which SQLite takes).</summary>
    private sealed class PerKeyUnion : IPerKey
    {
        private readonly int _count;

        public PerKeyUnion(IReadOnlyList<Stack.Micromastery> micromasteries, DynamicParameters parameters)
        {
            _count = micromasteries.Count;
            for (var i = 0; i < micromasteries.Count; i++)
            {
                parameters.Add(Name("s", i), micromasteries[i].Slug);
                parameters.Add(Name("f", i), Date(micromasteries[i].Started));
                parameters.Add(Name("t", i), PlanEnd(micromasteries[i]));
            }
        }

        public string Ranges(string select, string day) =>
            Union(i => $"{select} WHERE d.slug = @{Name("s", i)} AND {day} >= @{Name("f", i)} AND {day} <= @{Name("t", i)}");

        public string Newest(string query) =>
            Union(i => $"SELECT * FROM ({string.Format(CultureInfo.InvariantCulture, query, "@" + Name("s", i))}) AS {Name("n", i)}");

        private string Union(Func<int, string> branch) => string.Join("\nUNION ALL ", Enumerable.Range(0, _count).Select(branch)) + ";\n";

        private static string Name(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{i}");
    }

    private static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A check's last run as <see cref="CheckStatusStore"/> keeps it.</summary>
internal sealed class CheckStatusRow
{
    public const string Columns =
        "slug AS Slug, check_id AS CheckId, state AS State, message AS Message, last_attempt_at AS LastAttemptAt, last_success_at AS LastSuccessAt";

    public string Slug { get; set; } = "";
    public string CheckId { get; set; } = "";
    public string State { get; set; } = "";
    public string? Message { get; set; }
    public long? LastAttemptAt { get; set; }
    public long? LastSuccessAt { get; set; }
}

/// <summary>One evidence item as stored: the evidence row, its observation and the source's last answer about it.</summary>
internal sealed class EvidenceRow
{
    public const string Select =
        "SELECT e.id AS Id, e.slug AS Slug, e.check_id AS CheckId, o.source AS Source, o.external_id AS ExternalId, e.observed_at AS ObservedAt, o.url AS Url, " +
        "r.state AS Recheck, r.detail AS RecheckDetail, r.checked_at AS RecheckedAt, r.confirmed_at AS ConfirmedAt " +
        "FROM evidence e JOIN observations o ON o.id = e.observation_id LEFT JOIN evidence_rechecks r ON r.observation_id = e.observation_id";

    public long Id { get; set; }
    public string Slug { get; set; } = "";
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
        return new EvidenceItem(CheckId, Source, ExternalId, at, Url, m.IsPrior(at), Recheck, RecheckDetail, SummaryRow.At(RecheckedAt), SummaryRow.At(ConfirmedAt));
    }
}
