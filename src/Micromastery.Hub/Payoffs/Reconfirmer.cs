using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>What one re-confirmation of a micromastery's evidence found.</summary>
/// <param name="Failure">The first source that could not be asked: the job rethrows it so Hangfire retries.</param>
internal sealed record ReconfirmResult(string Slug, IReadOnlyList<Recheck> Answers, CheckUnavailableException? Failure = null);

/// <summary>
/// Asks each source again about the evidence it gave a micromastery: by id where the type can
/// (<see cref="IRecheckableCheckType"/>), else by polling again and looking for the object. An
/// upstream error is <c>unknown</c>, never <c>gone</c>; manual evidence has no source to ask.
/// </summary>
internal sealed partial class Reconfirmer(
    HubDatabase database,
    StackStore stack,
    CheckTypeRegistry types,
    Microsoft.Extensions.Options.IOptionsMonitor<ReconfirmOptions> options,
    TimeProvider clock,
    ILogger<Reconfirmer> logger)
{
    /// <summary>Null when the micromastery is not in the stack.</summary>
    public async Task<ReconfirmResult?> RunAsync(string slug, CancellationToken cancellationToken)
    {
        if (stack.Current.Find(slug) is not { } micromastery)
        {
            return null;
        }

        List<(string CheckId, Observation Observation)> evidence;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            evidence = (await connection.QueryAsync<EvidenceRow>(new CommandDefinition(
                    "SELECT e.check_id AS CheckId, o.source AS Source, o.kind AS Kind, o.external_id AS ExternalId, o.observed_at AS ObservedAt, o.url AS Url, o.facts AS Facts " +
                    "FROM evidence e JOIN observations o ON o.id = e.observation_id LEFT JOIN evidence_rechecks r ON r.observation_id = o.id " +
                    "WHERE e.slug = @slug ORDER BY COALESCE(r.checked_at, 0), e.id", new { slug }, cancellationToken: cancellationToken)))
                .Select(r => (r.CheckId, r.ToObservation()))
                .ToList();
        }

        var answers = new List<Recheck>();
        var seen = new HashSet<(string, string, string)>();
        var polls = new Dictionary<string, Task<IReadOnlyList<Observation>>>(StringComparer.Ordinal);
        CheckUnavailableException? failure = null;
        var budget = options.CurrentValue.MaxPerRun;
        foreach (var (checkId, observation) in evidence)
        {
            if (answers.Count >= budget)
            {
                break;
            }

            if (micromastery.Checks.FirstOrDefault(c => c.Id == checkId) is not { } check
                || types.Find(check.Type) is not IPollingCheckType polling
                || !seen.Add((observation.Source, observation.Kind, observation.ExternalId)))
            {
                continue;
            }

            try
            {
                answers.Add(polling is IRecheckableCheckType byId
                    ? await byId.RecheckAsync(check, observation, cancellationToken)
                    : await PollAgainAsync(micromastery, check, polling, observation, polls, cancellationToken));
            }
            catch (CheckUnavailableException ex)
            {
                failure ??= ex;
                answers.Add(Answer(observation, RecheckStates.Unknown, ex.Message));
            }
            catch (CheckNotConfiguredException ex)
            {
                answers.Add(Answer(observation, RecheckStates.Unknown, ex.Message));
            }
        }

        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var write = await database.BeginWriteAsync(connection, cancellationToken))
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var answer in answers)
            {
                await RecheckStore.WriteAsync(connection, write.Transaction, answer, now);
            }

            await ChangeCounter.BumpAsync(connection, write.Transaction, cancellationToken);
            await write.CommitAsync(cancellationToken);
        }

        LogReconfirmed(slug, answers.Count(a => a.State == RecheckStates.Confirmed), answers.Count(a => a.State == RecheckStates.Gone), answers.Count(a => a.State == RecheckStates.Unknown));
        return new ReconfirmResult(slug, answers, failure);
    }

    /// <summary>Polls the check once per run and looks for the object: present and still satisfying is confirmed, missing is gone.</summary>
    private static async Task<Recheck> PollAgainAsync(Stack.Micromastery micromastery, CheckSpec check, IPollingCheckType polling, Observation observation,
        Dictionary<string, Task<IReadOnlyList<Observation>>> polls, CancellationToken cancellationToken)
    {
        IReadOnlyList<Observation> seen;
        try
        {
            if (!polls.TryGetValue(check.Id, out var poll))
            {
                polls[check.Id] = poll = polling.PollAsync(micromastery, check, cancellationToken);
            }

            seen = await poll;
        }
        catch (CheckPendingException ex)
        {
            return Answer(observation, RecheckStates.Gone, ex.Message);
        }

        var now = seen.FirstOrDefault(o => o.Source == observation.Source && o.Kind == observation.Kind && o.ExternalId == observation.ExternalId);
        return now is not null && polling.Satisfies(check, now)
            ? Answer(observation, RecheckStates.Confirmed, null)
            : Answer(observation, RecheckStates.Gone, now is null ? "no longer shown by the service" : "shown, but no longer satisfies the check");
    }

    public static Recheck Answer(Observation observation, string state, string? detail) =>
        new(observation.Source, observation.Kind, observation.ExternalId, state, detail);

    private sealed class EvidenceRow : ObservationRow
    {
        public string CheckId { get; set; } = "";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-confirmed the evidence of {Slug}: {Confirmed} confirmed, {Gone} gone, {Unknown} unknown")]
    private partial void LogReconfirmed(string slug, int confirmed, int gone, int unknown);
}
