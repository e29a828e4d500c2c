using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>What one poll of one check found.</summary>
/// <param name="Failure">Set when the state is <c>unknown</c>: the job rethrows it so Hangfire retries.</param>
internal sealed record CheckRunResult(string Slug, string CheckId, string Type, string State, string? Message, int Observations, CheckUnavailableException? Failure = null);

/// <summary>
/// Polls one check of the stack, records what the service showed through the ledger, and writes the
/// check's status. A failed call records nothing, so an error never turns a verdict back.
/// </summary>
internal sealed partial class CheckRunner(
    StackStore stack,
    CheckTypeRegistry types,
    PayoffLedger ledger,
    CheckStatusStore status,
    TimeProvider clock,
    ILogger<CheckRunner> logger)
{
    /// <summary>Null when the check is no longer in the stack or is not a polling check.</summary>
    public async Task<CheckRunResult?> RunAsync(string slug, string checkId, CancellationToken cancellationToken)
    {
        if (stack.Current.Find(slug) is not { } micromastery
            || micromastery.Checks.FirstOrDefault(c => c.Id == checkId) is not { } check
            || types.Find(check.Type) is not IPollingCheckType polling)
        {
            return null;
        }

        var attemptedAt = clock.GetUtcNow();
        IReadOnlyList<Observation> observations;
        try
        {
            observations = await polling.PollAsync(micromastery, check, cancellationToken);
        }
        catch (CheckNotConfiguredException ex) when (polling.WebhooksCanSatisfy && !ex.Rejected)
        {
            // A webhook can still prove it: waiting, not broken (and not a reason to call the payoff unknown).
            var waiting = $"polling needs {ex.ConfigurationKey}; a webhook needs none";
            await status.WriteAsync(slug, checkId, CheckStates.Waiting, waiting, attemptedAt, null, cancellationToken);
            return new CheckRunResult(slug, checkId, check.Type, CheckStates.Waiting, waiting, 0);
        }
        catch (CheckNotConfiguredException ex)
        {
            await status.WriteAsync(slug, checkId, CheckStates.NotConfigured, ex.Message, attemptedAt, null, cancellationToken);
            LogNotConfigured(slug, checkId, ex.ConfigurationKey);
            return new CheckRunResult(slug, checkId, check.Type, CheckStates.NotConfigured, ex.Message, 0);
        }
        catch (CheckPendingException ex)
        {
            await status.WriteAsync(slug, checkId, CheckStates.Pending, ex.Message, attemptedAt, clock.GetUtcNow(), cancellationToken);
            return new CheckRunResult(slug, checkId, check.Type, CheckStates.Pending, ex.Message, 0);
        }
        catch (CheckUnavailableException ex)
        {
            await status.WriteAsync(slug, checkId, CheckStates.Unknown, ex.Message, attemptedAt, null, cancellationToken);
            LogUnavailable(slug, checkId, ex.Message);
            return new CheckRunResult(slug, checkId, check.Type, CheckStates.Unknown, ex.Message, 0, ex);
        }

        await using (var batch = await ledger.BeginAsync(cancellationToken))
        {
            await batch.RecordAsync(observations, cancellationToken);
            await batch.CompleteAsync(cancellationToken);
        }

        var satisfying = observations.Where(o => polling.Satisfies(check, o)).ToList();
        var holds = await ledger.HoldsAsync(slug, checkId, cancellationToken);
        var message = holds ? null
            : satisfying.Count > 0 ? $"only prior evidence: {satisfying.Count} seen from before the practice began on {micromastery.WindowStartDay:yyyy-MM-dd} (add 'since' to the stack entry to count it)"
            : $"asked the service: nothing satisfies this check yet ({observations.Count} seen)";
        var state = holds ? CheckStates.Holds : CheckStates.Pending;
        await status.WriteAsync(slug, checkId, state, message, attemptedAt, clock.GetUtcNow(), cancellationToken);
        return new CheckRunResult(slug, checkId, check.Type, state, message, observations.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check {Slug}/{CheckId} is not configured: set {Key}")]
    private partial void LogNotConfigured(string slug, string checkId, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check {Slug}/{CheckId} is unknown: {Reason}; the job is retried")]
    private partial void LogUnavailable(string slug, string checkId, string reason);
}
