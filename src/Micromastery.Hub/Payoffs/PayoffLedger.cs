using System.Data.Common;
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
    /// <summary>Records observations in their own transaction and announces new payoffs.</summary>
    public async Task<IReadOnlyList<string>> RecordAsync(IReadOnlyList<Observation> observations, CancellationToken cancellationToken)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        List<string> verified;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await using var write = await database.BeginWriteAsync(connection, cancellationToken);
            verified = [.. await RecordAsync(connection, write.Transaction, observations, cancellationToken, touched)];
            await write.CommitAsync(cancellationToken);
        }

        verified.AddRange(await SettleAsync(touched, cancellationToken));
        AnnounceVerified(verified);
        return verified;
    }

    /// <summary>
    /// After the caller's commit: verifies what concurrent writers may have left unverified. On
    /// PostgreSQL two transactions can each add the evidence of a different check of one micromastery
    /// and each not see the other's, so neither writes the payoff. Looking again after committing
    /// settles it: whichever of the two commits last sees both. (SQLite has one writer at a time.)
    /// </summary>
    public async Task<IReadOnlyList<string>> SettleAsync(IReadOnlySet<string> touched, CancellationToken cancellationToken)
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
    /// Records observations inside the caller's transaction; returns slugs verified for the first time.
    /// The slugs given evidence are added to <paramref name="touched"/>: pass them to <see cref="SettleAsync"/> after committing.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecordAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Observation> observations, CancellationToken cancellationToken, ISet<string>? touched = null)
    {
        var current = stack.Current;
        var given = new HashSet<string>(StringComparer.Ordinal);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var observation in observations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (observation.Problem() is { } problem)
            {
                // A poll's one odd item must not fail the poll: the inbox drain fails such an event itself, with this reason.
                LogUnusable(observation.Source, problem);
                continue;
            }

            var observationId = await SaveObservationAsync(connection, transaction, observation, now);
            foreach (var m in current.Micromasteries)
            {
                foreach (var check in m.Checks)
                {
                    if (checkTypes.Find(check.Type)?.Satisfies(check, observation) == true)
                    {
                        await connection.ExecuteAsync(
                            "INSERT INTO evidence (slug, check_id, observation_id, created_at) VALUES (@slug, @check, @obs, @now) ON CONFLICT (slug, check_id, observation_id) DO NOTHING",
                            new { slug = m.Slug, check = check.Id, obs = observationId, now }, transaction);
                        given.Add(m.Slug);
                    }
                }
            }
        }

        // Only this call's slugs: a drain batch passes one set for all its events and must not re-verify earlier ones.
        touched?.UnionWith(given);
        return await VerifyAsync(connection, transaction, current, given, now);
    }

    /// <summary>Records evidence a person gives for a check no API can see (a link, a note).</summary>
    public async Task<IReadOnlyList<string>> RecordManualAsync(Stack.Micromastery micromastery, CheckSpec check, string? url, string? note, CancellationToken cancellationToken, string? context = null)
    {
        var now = clock.GetUtcNow();
        var observation = new Observation("manual", CheckTypes.Manual, $"{micromastery.Slug}/{check.Id}/{Guid.NewGuid():N}", now, url,
            new Dictionary<string, string?> { ["slug"] = micromastery.Slug, ["check"] = check.Id, ["note"] = note, ["context"] = context });
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var id = await SaveObservationAsync(connection, transaction, observation, now.ToUnixTimeMilliseconds());
        await connection.ExecuteAsync(
            "INSERT INTO evidence (slug, check_id, observation_id, created_at) VALUES (@slug, @check, @id, @now) ON CONFLICT (slug, check_id, observation_id) DO NOTHING",
            new { slug = micromastery.Slug, check = check.Id, id, now = now.ToUnixTimeMilliseconds() }, transaction);
        var verified = await VerifyAsync(connection, transaction, stack.Current, [micromastery.Slug], now.ToUnixTimeMilliseconds());
        await write.CommitAsync(cancellationToken);
        verified.AddRange(await SettleAsync(new HashSet<string> { micromastery.Slug }, cancellationToken));
        AnnounceVerified(verified);
        return verified;
    }

    /// <summary>
    /// Matches every stored observation against the current stack: a check added to the stack file
    /// is satisfied by proof the hub already has.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReevaluateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ObservationRow>(
            "SELECT source AS Source, kind AS Kind, external_id AS ExternalId, observed_at AS ObservedAt, url AS Url, facts AS Facts FROM observations WHERE source <> 'manual'");
        var observations = rows.Select(r => r.ToObservation()).ToList();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var verified = (await RecordAsync(connection, transaction, observations, cancellationToken)).ToList();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var all = stack.Current.Micromasteries.Select(m => m.Slug).ToHashSet(StringComparer.Ordinal);
        verified.AddRange(await VerifyAsync(connection, transaction, stack.Current, all, now));
        await write.CommitAsync(cancellationToken);
        verified.AddRange(await SettleAsync(all, cancellationToken));
        var distinct = verified.Distinct().ToList();
        AnnounceVerified(distinct);
        return distinct;
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

    private static async Task<long> SaveObservationAsync(DbConnection connection, DbTransaction transaction, Observation o, long now)
    {
        var args = new
        {
            source = o.Source,
            kind = o.Kind,
            ext = o.ExternalId,
            at = o.ObservedAt.ToUnixTimeMilliseconds(),
            url = o.Url,
            facts = JsonSerializer.Serialize(o.Facts),
            now,
        };
        // RETURNING answers for a new row; a known observation is looked up instead.
        return await connection.ExecuteScalarAsync<long?>(
                   "INSERT INTO observations (source, kind, external_id, observed_at, url, facts, recorded_at) VALUES (@source, @kind, @ext, @at, @url, @facts, @now) " +
                   "ON CONFLICT (source, kind, external_id) DO NOTHING RETURNING id", args, transaction)
               ?? await connection.ExecuteScalarAsync<long>(
                   "SELECT id FROM observations WHERE source = @source AND kind = @kind AND external_id = @ext", args, transaction);
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

            var allHold = true;
            foreach (var check in m.Checks)
            {
                if (await connection.ExecuteScalarAsync<long?>(
                        "SELECT 1 FROM evidence WHERE slug = @slug AND check_id = @check LIMIT 1", new { slug, check = check.Id }, transaction) is null)
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

    internal sealed class ObservationRow
    {
        public string Source { get; set; } = "";
        public string Kind { get; set; } = "";
        public string ExternalId { get; set; } = "";
        public long ObservedAt { get; set; }
        public string? Url { get; set; }
        public string Facts { get; set; } = "{}";

        public Observation ToObservation() => new(Source, Kind, ExternalId, DateTimeOffset.FromUnixTimeMilliseconds(ObservedAt), Url,
            JsonSerializer.Deserialize<Dictionary<string, string?>>(Facts) ?? []);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped an observation from {Source}: {Problem}")]
    private partial void LogUnusable(string source, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payoff of {Slug} verified for the first time")]
    private partial void LogVerified(string slug);

    [LoggerMessage(Level = LogLevel.Error, Message = "A payoff handler failed for {Slug}")]
    private partial void LogHandlerFailed(Exception exception, string slug);
}
