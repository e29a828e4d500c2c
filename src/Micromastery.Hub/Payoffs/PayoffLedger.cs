using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>Told after commit when a micromastery's payoff is verified for the first time.</summary>
internal interface IPayoffVerifiedHandler
{
    void OnFirstVerified(string slug);
}

/// <summary>
/// Turns observations into evidence and verdicts. Idempotent: the same observation twice is the
/// same evidence once, and the first verification time is written once and kept.
/// </summary>
internal sealed partial class PayoffLedger(
    HubDatabase database,
    StackStore stack,
    CheckTypeRegistry checkTypes,
    EvidenceSummaries summaries,
    IEnumerable<IPayoffVerifiedHandler> handlers,
    TimeProvider clock,
    ILogger<PayoffLedger> logger)
{
    /// <summary>Begins a write transaction to record observations in; complete it to commit, settle and announce.</summary>
    public async Task<LedgerBatch> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            return new LedgerBatch(this, connection, await database.BeginWriteAsync(connection, cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// After the batch's commit: verifies what concurrent writers may have left unverified. On
    /// PostgreSQL two transactions can each add the evidence of a different check of one micromastery
    /// and each not see the other's, so neither writes the payoff. Looking again after committing
    /// settles it: whichever of the two commits last sees both. (SQLite has one writer at a time.)
    /// </summary>
    internal async Task<IReadOnlyList<string>> SettleAsync(IReadOnlySet<string> touched, CancellationToken cancellationToken)
    {
        if (database.Provider != StorageProvider.Postgres || touched.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var verified = await VerifyAsync(connection, write.Transaction, stack.Current, touched, clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (verified.Count > 0)
        {
            await ChangeCounter.BumpAsync(connection, write.Transaction, cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        return verified;
    }

    /// <summary>
    /// Records observations inside the batch's transaction and adds the slugs given evidence to
    /// <paramref name="given"/>; the batch verifies those once, before it commits, however many events it recorded.
    /// </summary>
    internal async Task RecordInAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Observation> observations, ISet<string> given, List<NewEvidence> added, CancellationToken cancellationToken)
    {
        var current = stack.Current;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var usable = new List<Observation>(observations.Count);
        foreach (var observation in observations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (observation.Problem() is { } problem)
            {
                // A poll's one odd item must not fail the poll: the inbox drain fails such an event itself, with this reason.
                LogUnusable(observation.Source, problem);
                continue;
            }

            usable.Add(observation);
        }

        if (usable.Count == 0)
        {
            return;
        }

        // A few statements for the whole list, not a few per observation: a webhook batch records hundreds.
        var ids = await SaveObservationsAsync(connection, transaction, usable, now);
        var evidence = new List<(string Slug, string CheckId, long ObservationId, long ObservedAt)>();
        var byId = new Dictionary<long, Observation>();
        for (var i = 0; i < usable.Count; i++)
        {
            var observation = usable[i];
            byId[ids[i]] = observation;
            foreach (var m in current.Micromasteries)
            {
                foreach (var check in m.Checks)
                {
                    if (checkTypes.Find(check.Type)?.Satisfies(check, observation) == true)
                    {
                        evidence.Add((m.Slug, check.Id, ids[i], observation.ObservedAt.ToUnixTimeMilliseconds()));
                        given.Add(m.Slug);
                    }
                }
            }
        }

        added.AddRange(await AddEvidenceAsync(connection, transaction, evidence, byId, now));
    }

    /// <summary>
    /// Adds evidence recorded in the batch to the summaries. The batch does it last, just before it verifies and commits:
    /// on PostgreSQL the summary row is locked from here to the commit, so writers of one micromastery wait only for a commit.
    /// </summary>
    internal Task SummarizeInAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<NewEvidence> added) =>
        summaries.AddAsync(connection, transaction, stack.Current, added);

    /// <summary>Records a person's evidence (a link, a note) against its manual check; returns the slug when that verified it.</summary>
    internal async Task<IReadOnlyList<string>> RecordManualInAsync(DbConnection connection, DbTransaction transaction, string slug, string checkId, Observation observation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var id = (await SaveObservationsAsync(connection, transaction, [observation], now))[0];
        var current = stack.Current;
        var added = await AddEvidenceAsync(connection, transaction, [(slug, checkId, id, observation.ObservedAt.ToUnixTimeMilliseconds())],
            new Dictionary<long, Observation> { [id] = observation }, now);
        await summaries.AddAsync(connection, transaction, current, added);
        return await VerifyAsync(connection, transaction, current, [slug], now);
    }

    /// <summary>Whether a check holds now, as its summary says (<see cref="CheckSummary.Holds"/>).</summary>
    public async Task<bool> HoldsAsync(string slug, string checkId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CheckRow>(new CommandDefinition(
            $"SELECT {EvidenceSummaries.CheckColumns} FROM check_summaries WHERE slug = @slug AND check_id = @checkId", new { slug, checkId }, cancellationToken: cancellationToken));
        return row?.ToSummary().Holds == true;
    }

    internal long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Verifies <paramref name="slugs"/>; those left unverified (a concurrent writer may complete them) go to <paramref name="open"/>.</summary>
    internal Task<List<string>> VerifyInAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> slugs, ICollection<string>? open = null) =>
        VerifyAsync(connection, transaction, stack.Current, slugs, clock.GetUtcNow().ToUnixTimeMilliseconds(), open);

    /// <summary>
    /// Matches every stored observation against the current stack: a check added to the stack file
    /// is satisfied by proof the hub already has. The summaries of micromasteries whose entry changed what counts
    /// are recomputed first (all of them with <paramref name="rebuild"/>: at start-up, after a migration).
    /// </summary>
    public async Task<IReadOnlyList<string>> ReevaluateAsync(CancellationToken cancellationToken, bool rebuild = false)
    {
        await RefreshSummariesAsync(rebuild, cancellationToken);

        List<Observation> observations;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var rows = await connection.QueryAsync<ObservationRow>(
                "SELECT source AS Source, kind AS Kind, external_id AS ExternalId, observed_at AS ObservedAt, url AS Url, facts AS Facts FROM observations WHERE source <> 'manual'");
            observations = rows.Select(r => r.ToObservation()).ToList();
        }

        await using var batch = await BeginAsync(cancellationToken);
        await batch.RecordAsync(observations, cancellationToken);
        await batch.VerifyAgainAsync(stack.Current.Micromasteries.Select(m => m.Slug).ToHashSet(StringComparer.Ordinal), cancellationToken);
        return await batch.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Brings the summaries in line with the current stack in one transaction: after a stack edit only the
    /// micromasteries it touched (window, time zone, checks; removed ones are dropped), or every one.
    /// </summary>
    public async Task<IReadOnlyList<string>> RefreshSummariesAsync(bool all, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var recomputed = await summaries.RefreshAsync(connection, write.Transaction, stack.Current, all);
        await write.CommitAsync(cancellationToken);
        if (recomputed.Count > 0)
        {
            LogRecomputed(recomputed.Count, string.Join(", ", recomputed.Take(10)));
        }

        return recomputed;
    }

    public void AnnounceVerified(IReadOnlyList<string> slugs)
    {
        foreach (var slug in slugs)
        {
            LogVerified(slug);
            foreach (var handler in handlers)
            {
                try
                {
                    handler.OnFirstVerified(slug);
                }
                catch (Exception ex)
                {
                    LogHandlerFailed(ex, slug);
                }
            }
        }
    }

    private static readonly string[] ObservationColumns = ["source", "kind", "external_id", "observed_at", "url", "facts", "recorded_at"];
    private static readonly string[] EvidenceColumns = ["slug", "check_id", "observation_id", "observed_at", "created_at"];

    /// <summary>Stores the observations not stored yet and returns every one's id, in order.</summary>
    private async Task<long[]> SaveObservationsAsync(DbConnection connection, DbTransaction transaction, List<Observation> observations, long now)
    {
        var rows = observations.Select(o => new object?[] { o.Source, o.Kind, o.ExternalId, o.ObservedAt.ToUnixTimeMilliseconds(), o.Url, JsonSerializer.Serialize(o.Facts), now }).ToList();
        var ids = new Dictionary<(string, string, string), long>();

        // RETURNING answers for the new rows; known observations are looked up below.
        foreach (var row in await BulkInsert.RunAsync(connection, transaction, database.Provider, "observations", ObservationColumns,
                     "ON CONFLICT (source, kind, external_id) DO NOTHING RETURNING id, source, kind, external_id", rows))
        {
            ids[((string)row[1], (string)row[2], (string)row[3])] = Convert.ToInt64(row[0], CultureInfo.InvariantCulture);
        }

        var result = new long[observations.Count];
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            if (!ids.TryGetValue((o.Source, o.Kind, o.ExternalId), out var id))
            {
                id = await connection.ExecuteScalarAsync<long>(
                    "SELECT id FROM observations WHERE source = @source AND kind = @kind AND external_id = @ext",
                    new { source = o.Source, kind = o.Kind, ext = o.ExternalId }, transaction);
                ids[(o.Source, o.Kind, o.ExternalId)] = id;
            }

            result[i] = id;
        }

        return result;
    }

    /// <summary>Inserts the evidence not there yet and returns what was new, for the summaries.</summary>
    private async Task<List<NewEvidence>> AddEvidenceAsync(DbConnection connection, DbTransaction transaction,
        List<(string Slug, string CheckId, long ObservationId, long ObservedAt)> evidence, Dictionary<long, Observation> observations, long now)
    {
        var inserted = await BulkInsert.RunAsync(connection, transaction, database.Provider, "evidence", EvidenceColumns,
            "ON CONFLICT (slug, check_id, observation_id) DO NOTHING RETURNING id, slug, check_id, observation_id, observed_at",
            evidence.Select(e => new object?[] { e.Slug, e.CheckId, e.ObservationId, e.ObservedAt, now }).ToList());
        return inserted.Select(r =>
        {
            var observationId = Convert.ToInt64(r[3], CultureInfo.InvariantCulture);
            return new NewEvidence(Convert.ToInt64(r[0], CultureInfo.InvariantCulture), (string)r[1], (string)r[2], observationId,
                Convert.ToInt64(r[4], CultureInfo.InvariantCulture), observations[observationId]);
        }).ToList();
    }

    private async Task<List<string>> VerifyAsync(DbConnection connection, DbTransaction transaction, StackDefinition current, IEnumerable<string> slugs, long now, ICollection<string>? open = null)
    {
        var verified = new List<string>();
        foreach (var slug in slugs)
        {
            if (current.Find(slug) is not { Checks.Count: > 0 } m)
            {
                continue;
            }

            // Cheap once verified (the common case under load): one primary-key probe, no evidence scan.
            if (await connection.ExecuteScalarAsync<long?>("SELECT 1 FROM payoffs WHERE slug = @slug", new { slug }, transaction) is not null)
            {
                continue;
            }

            // The summaries say which checks hold (CheckSummary.Holds: evidence from the practice window; prior evidence never verifies).
            await summaries.EnsureAsync(connection, transaction, current, [slug]);
            var holding = (await connection.QueryAsync<CheckRow>(
                    $"SELECT {EvidenceSummaries.CheckColumns} FROM check_summaries WHERE slug = @slug", new { slug }, transaction))
                .Select(r => r.ToSummary()).Where(c => c.Holds).Select(c => c.CheckId).ToHashSet(StringComparer.Ordinal);
            if (!m.Checks.All(c => holding.Contains(c.Id)))
            {
                open?.Add(slug);
                continue;
            }

            var inserted = await connection.ExecuteAsync(
                "INSERT INTO payoffs (slug, verified_at) VALUES (@slug, @now) ON CONFLICT (slug) DO NOTHING", new { slug, now }, transaction);
            if (inserted == 1)
            {
                verified.Add(slug);
            }
        }

        return verified;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped an observation from {Source}: {Problem}")]
    private partial void LogUnusable(string source, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recomputed the evidence summaries of {Count} micromasteries ({Slugs})")]
    private partial void LogRecomputed(int count, string slugs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payoff of {Slug} verified for the first time")]
    private partial void LogVerified(string slug);

    [LoggerMessage(Level = LogLevel.Error, Message = "A payoff handler failed for {Slug}")]
    private partial void LogHandlerFailed(Exception exception, string slug);
}
