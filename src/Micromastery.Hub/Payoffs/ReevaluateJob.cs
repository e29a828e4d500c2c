using Hangfire;

namespace Micromastery.Hub.Payoffs;

/// <summary>Matches stored observations against the stack after it changed (or the hub started).</summary>
public sealed class ReevaluateJob(PayoffLedger ledger)
{
    [DisableConcurrentExecution(timeoutInSeconds: 120)]
    public async Task<int> RunAsync(CancellationToken cancellationToken) => (await ledger.ReevaluateAsync(cancellationToken)).Count;
}
