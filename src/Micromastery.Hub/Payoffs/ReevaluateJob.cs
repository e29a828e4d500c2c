using Hangfire;
namespace Micromastery.Hub.Payoffs;

/// <summary>Matches stored observations against the stack after it changed (or the hub started).</summary>
internal sealed class ReevaluateJob(PayoffLedger ledger)
{
    // Idempotent, so no DisableConcurrentExecution (whose lock outlives a killed process on PostgreSQL).
    [JobDisplayName("Re-evaluate payoffs against the stack file")]
    public async Task<int> RunAsync(CancellationToken cancellationToken) => (await ledger.ReevaluateAsync(cancellationToken)).Count;

    /// <summary>The same, rebuilding every evidence summary from the evidence first (at start-up: a migrated database gets its summaries here).</summary>
    [JobDisplayName("Rebuild the evidence summaries and re-evaluate payoffs")]
    public async Task<int> RebuildAsync(CancellationToken cancellationToken) => (await ledger.ReevaluateAsync(cancellationToken, rebuild: true)).Count;
}
