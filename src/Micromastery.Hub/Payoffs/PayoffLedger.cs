using System.Data.Common;
using System.Globalization;
using System.Text;
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

    internal Task<List<string>> VerifyInAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> slugs) =>
        VerifyAsync(connection, transaction, stack.Current, slugs, clock.GetUtcNow().ToUnixTimeMilliseconds());

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

    /// <summary>Rows per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.</summary>
    private const int RowsPerInsert = 200;

    /// <summary>Stores the observations not stored yet and returns every one's id, in order.</summary>
    private static async Task<long[]> SaveObservationsAsync(DbConnection connection, DbTransaction transaction, List<Observation> observations, long now)
    {
        var ids = new Dictionary<(string, string, string), long>();
        foreach (var chunk in observations.Chunk(RowsPerInsert))
        {
            var sql = new StringBuilder("INSERT INTO observations (source, kind, external_id, observed_at, url, facts, recorded_at) VALUES ");
            var args = new DynamicParameters();
            args.Add("now", now);
            for (var i = 0; i < chunk.Length; i++)
            {
                var o = chunk[i];
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@s{i}, @k{i}, @x{i}, @a{i}, @u{i}, @f{i}, @now)");
                args.Add($"s{i}", o.Source);
                args.Add($"k{i}", o.Kind);
                args.Add($"x{i}", o.ExternalId);
                args.Add($"a{i}", o.ObservedAt.ToUnixTimeMilliseconds());
                args.Add($"u{i}", o.Url);
                args.Add($"f{i}", JsonSerializer.Serialize(o.Facts));
            }

            // RETURNING answers for the new rows; known observations are looked up below.
            sql.Append(" ON CONFLICT (source, kind, external_id) DO NOTHING RETURNING id, source, kind, external_id");
            foreach (var row in await connection.QueryAsync<(long Id, string Source, string Kind, string ExternalId)>(sql.ToString(), args, transaction))
            {
                ids[(row.Source, row.Kind, row.ExternalId)] = row.Id;
            }
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

    private static async Task AddEvidenceAsync(DbConnection connection, DbTransaction transaction, List<(string Slug, string CheckId, long ObservationId, long ObservedAt)> evidence, long now)
    {
        foreach (var chunk in evidence.Chunk(RowsPerInsert))
        {
            var sql = new StringBuilder("INSERT INTO evidence (slug, check_id, observation_id, observed_at, created_at) VALUES ");
            var args = new DynamicParameters();
            args.Add("now", now);
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@s{i}, @c{i}, @o{i}, @a{i}, @now)");
                args.Add($"s{i}", chunk[i].Slug);
                args.Add($"c{i}", chunk[i].CheckId);
                args.Add($"o{i}", chunk[i].ObservationId);
                args.Add($"a{i}", chunk[i].ObservedAt);
            }

            sql.Append(" ON CONFLICT (slug, check_id, observation_id) DO NOTHING");
            await connection.ExecuteAsync(sql.ToString(), args, transaction);
        }
    }

    private static async Task<List<string>> VerifyAsync(DbConnection connection, DbTransaction transaction, StackDefinition current, IEnumerable<string> slugs, long now)
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
