using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>Reads verdicts, checks and evidence for the current stack: what the API, the UI and the email show.</summary>
public sealed class PayoffReporter(HubDatabase database, StackStore stack, CheckTypeRegistry types, TimeProvider clock)
{
    public async Task<StackReport> BuildAsync(CancellationToken cancellationToken)
    {
        var current = stack.Current;
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var snapshot = await database.BeginSnapshotAsync(connection, cancellationToken);
        var evidence = (await connection.QueryAsync<EvidenceRow>(
                "SELECT e.slug AS Slug, e.check_id AS CheckId, o.source AS Source, o.kind AS Kind, o.external_id AS ExternalId, o.observed_at AS ObservedAt, o.url AS Url, o.facts AS Facts, " +
                "r.state AS Recheck, r.detail AS RecheckDetail, r.checked_at AS RecheckedAt, r.confirmed_at AS ConfirmedAt " +
                "FROM evidence e JOIN observations o ON o.id = e.observation_id LEFT JOIN evidence_rechecks r ON r.observation_id = o.id ORDER BY o.observed_at, e.id", transaction: snapshot))
            .ToLookup(r => r.Slug);
        var payoffs = (await connection.QueryAsync<PayoffRow>("SELECT slug AS Slug, verified_at AS VerifiedAt FROM payoffs", transaction: snapshot))
            .ToDictionary(p => p.Slug, p => DateTimeOffset.FromUnixTimeMilliseconds(p.VerifiedAt));
        var statuses = (await connection.QueryAsync<StatusRow>(
                "SELECT slug AS Slug, check_id AS CheckId, state AS State, message AS Message, last_attempt_at AS LastAttemptAt, last_success_at AS LastSuccessAt FROM check_status", transaction: snapshot))
            .ToDictionary(s => (s.Slug, s.CheckId));

        var practice = await Practice.PracticeStore.DailyTotalsAsync(connection, snapshot, cancellationToken);

        var items = current.Micromasteries.Select(m =>
        {
            var proof = evidence[m.Slug].ToList();
            var checks = m.Checks.Select(c =>
            {
                statuses.TryGetValue((m.Slug, c.Id), out var status);
                var holds = proof.Any(e => e.CheckId == c.Id && !m.IsPrior(e.At));
                return new CheckReport(c.Id, c.Type,
                    holds ? CheckStates.Holds : status?.State ?? CheckStates.Pending,
                    holds ? null : status?.Message,
                    At(status?.LastAttemptAt),
                    At(status?.LastSuccessAt),
                    types.ScheduleOf(m, c)?.IsStale(At(status?.LastSuccessAt), now) == true);
            }).ToList();

            var verifiedAt = payoffs.TryGetValue(m.Slug, out var at) ? at : (DateTimeOffset?)null;

            // Disputed, never silently pending: the payoff was verified, and every piece of in-window evidence is now gone at its source.
            var supporting = proof.Where(e => !m.IsPrior(e.At)).ToList();
            var disputed = verifiedAt is not null && supporting.Count > 0 && supporting.All(e => e.Recheck == RecheckStates.Gone);
            var payoff = disputed ? PayoffStates.Disputed
                : verifiedAt is not null ? PayoffStates.Verified
                : checks.Any(c => c.State is CheckStates.Unknown or CheckStates.NotConfigured) ? PayoffStates.Unknown
                : PayoffStates.Pending;
            var day = m.PlanOn(now);
            return new MicromasteryReport(m.Slug, m.Name, m.Layer.Code(), m.Layer.Title(), m.StapleId, m.Started, day.Day, day.Phase, day.Asks,
                payoff, verifiedAt, checks,
                proof.Select(e => new EvidenceItem(e.CheckId, e.Source, e.ExternalId, e.At, e.Url, m.IsPrior(e.At),
                    e.Recheck, e.RecheckDetail, At(e.RecheckedAt), At(e.ConfirmedAt))).ToList(),
                WindowStart: m.WindowStart,
                Disputed: disputed);
        }).ToList();

        items = [.. items.Select(m => m with
        {
            Practice = Practice.Pace.For(m, practice),
            Repeatability = current.Find(m.Slug) is { } definition
                ? Repeatability.Of(definition, evidence[m.Slug].Select(e => (e.CheckId, e.ToObservation())), types)
                : null,
        })];
        return new StackReport(now, current.TimeZone.Id, stack.Path, stack.Errors.Select(e => e.ToString()).ToList(), items,
            Practice.Pace.Of(items, practice, current.TimeZone, now));
    }

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    private sealed class EvidenceRow : ObservationRow
    {
        public string Slug { get; set; } = "";
        public string CheckId { get; set; } = "";
        public string? Recheck { get; set; }
        public string? RecheckDetail { get; set; }
        public long? RecheckedAt { get; set; }
        public long? ConfirmedAt { get; set; }

        public DateTimeOffset At => DateTimeOffset.FromUnixTimeMilliseconds(ObservedAt);
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
