using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>Told after commit when a micromastery's payoff is verified for the first time.</summary>
public interface IPayoffVerifiedHandler
{
    void OnFirstVerified(string slug);
}

/// <summary>
/// Turns observations into evidence and verdicts. Idempotent: the same observation twice is the
/// same evidence once, and the first verification time is written once and kept.
/// </summary>
public sealed partial class PayoffLedger(
    HubDatabase database,
    StackStore stack,
    CheckTypeRegistry checkTypes,
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
    internal async Task RecordInAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Observation> observations, ISet<string> given, CancellationToken cancellationToken)
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
        for (var i = 0; i < usable.Count; i++)
        {
            var observation = usable[i];
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

        await AddEvidenceAsync(connection, transaction, evidence, now);
    }

    /// <summary>Records a person's evidence (a link, a note) against its manual check; returns the slug when that verified it.</summary>
    internal async Task<IReadOnlyList<string>> RecordManualInAsync(DbConnection connection, DbTransaction transaction, string slug, string checkId, Observation observation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var id = (await SaveObservationsAsync(connection, transaction, [observation], now))[0];
        await AddEvidenceAsync(connection, transaction, [(slug, checkId, id, observation.ObservedAt.ToUnixTimeMilliseconds())], now);
        return await VerifyAsync(connection, transaction, stack.Current, [slug], now);
    }

    internal long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Verifies <paramref name="slugs"/>; those left unverified (a concurrent writer may complete them) go to <paramref name="open"/>.</summary>
    internal Task<List<string>> VerifyInAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> slugs, ICollection<string>? open = null) =>
        VerifyAsync(connection, transaction, stack.Current, slugs, clock.GetUtcNow().ToUnixTimeMilliseconds(), open);

    /// <summary>
    /// Matches every stored observation against the current stack: a check added to the stack file
    /// is satisfied by proof the hub already has.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReevaluateAsync(CancellationToken cancellationToken)
    {
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

    private Task AddEvidenceAsync(DbConnection connection, DbTransaction transaction, List<(string Slug, string CheckId, long ObservationId, long ObservedAt)> evidence, long now) =>
        BulkInsert.RunAsync(connection, transaction, database.Provider, "evidence", EvidenceColumns,
            "ON CONFLICT (slug, check_id, observation_id) DO NOTHING", evidence.Select(e => new object?[] { e.Slug, e.CheckId, e.ObservationId, e.ObservedAt, now }).ToList());

    private static async Task<List<string>> VerifyAsync(DbConnection connection, DbTransaction transaction, StackDefinition current, IEnumerable<string> slugs, long now, ICollection<string>? open = null)
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

            // Only evidence from the practice window counts: prior evidence is kept and shown, never verifying.
            var windowStart = m.WindowStart.ToUnixTimeMilliseconds();
            var allHold = true;
            foreach (var check in m.Checks)
            {
                if (await connection.ExecuteScalarAsync<long?>(
                        "SELECT 1 FROM evidence WHERE slug = @slug AND check_id = @check AND observed_at >= @windowStart LIMIT 1",
                        new { slug, check = check.Id, windowStart }, transaction) is null)
                {
                    allHold = false;
                    break;
                }
            }

            if (!allHold)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Payoff of {Slug} verified for the first time")]
    private partial void LogVerified(string slug);

    [LoggerMessage(Level = LogLevel.Error, Message = "A payoff handler failed for {Slug}")]
    private partial void LogHandlerFailed(Exception exception, string slug);
}
