using Hangfire;
namespace Micromastery.Hub.Payoffs;

/// <summary>Matches stored observations against the stack after it changed (or the hub started).</summary>
public sealed class ReevaluateJob(PayoffLedger ledger)
{
    // Idempotent, so no DisableConcurrentExecution (whose lock outlives a killed process on PostgreSQL).
    [JobDisplayName("Re-evaluate payoffs against the stack file")]
    public async Task<int> RunAsync(CancellationToken cancellationToken) => (await ledger.ReevaluateAsync(cancellationToken)).Count;
}
