using System.Data.Common;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// One write transaction of the <see cref="PayoffLedger"/>: begin, record, complete. Completing commits,
/// settles what concurrent writers may have left unverified, and announces new payoffs; a batch disposed
/// without completing rolls back. A caller may write its own rows through <see cref="Connection"/> and
/// <see cref="Transaction"/> so they commit together with the evidence.
/// </summary>
internal sealed class LedgerBatch : IAsyncDisposable
{
    private readonly PayoffLedger _ledger;
    private readonly WriteTransaction _write;
    private readonly List<string> _verified = [];
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);
    private readonly List<NewEvidence> _added = [];
    private bool _disposed;

    internal LedgerBatch(PayoffLedger ledger, DbConnection connection, WriteTransaction write)
    {
        _ledger = ledger;
        Connection = connection;
        _write = write;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction => _write.Transaction;

    /// <summary>Records observations; the micromasteries they gave evidence to are verified once, before the commit.</summary>
    public Task RecordAsync(IReadOnlyList<Observation> observations, CancellationToken cancellationToken) =>
        _ledger.RecordInAsync(Connection, Transaction, observations, _given, _added, cancellationToken);

    /// <summary>
    /// Records observations inside a savepoint: when recording throws, only these writes are undone and
    /// the exception is rethrown, so the rest of the batch can still commit.
    /// </summary>
    public async Task RecordAloneAsync(IReadOnlyList<Observation> observations, CancellationToken cancellationToken)
    {
        const string savepoint = "ledger_record";
        await Transaction.SaveAsync(savepoint, cancellationToken);
        var given = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<NewEvidence>();
        try
        {
            await _ledger.RecordInAsync(Connection, Transaction, observations, given, added, cancellationToken);
            await Transaction.ReleaseAsync(savepoint, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Transaction.RollbackAsync(savepoint, cancellationToken);
            throw;
        }

        _given.UnionWith(given);
        _added.AddRange(added);
    }

    /// <summary>Records evidence a person gives for a manual check: written straight against that check.</summary>
    public async Task RecordManualAsync(string slug, string checkId, Observation observation, CancellationToken cancellationToken)
    {
        await SummarizeAsync();
        _verified.AddRange(await _ledger.RecordManualInAsync(Connection, Transaction, slug, checkId, observation, cancellationToken));
        _touched.Add(slug);
    }

    /// <summary>Marks slugs to verify again (e.g. after the stack gained checks), inside this transaction and after the commit.</summary>
    public async Task VerifyAgainAsync(IReadOnlySet<string> slugs, CancellationToken cancellationToken)
    {
        await SummarizeAsync();
        _verified.AddRange(await _ledger.VerifyInAsync(Connection, Transaction, slugs));
        _touched.UnionWith(slugs);
    }

    /// <summary>Records what sources said about objects already observed (a refund, a cancellation, a re-check).</summary>
    public async Task RecheckAsync(IReadOnlyList<Recheck> rechecks, CancellationToken cancellationToken)
    {
        // The evidence recorded so far is summed first: an answer about its object then moves it like any other.
        await SummarizeAsync();
        var now = _ledger.Now();
        foreach (var recheck in rechecks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await RecheckStore.WriteAsync(Connection, Transaction, recheck, now);
        }
    }

    /// <summary>
    /// Verifies the micromasteries given evidence since the last call, inside the transaction, and returns those
    /// verified by it; <see cref="CompleteAsync"/> does it too.
    /// </summary>
    public async Task<IReadOnlyList<string>> VerifyGivenAsync()
    {
        await SummarizeAsync();
        if (_given.Count == 0)
        {
            return [];
        }

        // Only what is still open needs settling after the commit: a verified payoff stays verified.
        var verified = await _ledger.VerifyInAsync(Connection, Transaction, _given, _touched);
        _verified.AddRange(verified);
        _given.Clear();
        return verified;
    }

    /// <summary>Verifies, commits, settles and announces; returns every slug verified for the first time, once each.</summary>
    public async Task<IReadOnlyList<string>> CompleteAsync(CancellationToken cancellationToken)
    {
        await VerifyGivenAsync();
        await ChangeCounter.BumpAsync(Connection, Transaction, cancellationToken);
        await _write.CommitAsync(cancellationToken);
        await DisposeAsync();
        _verified.AddRange(await _ledger.SettleAsync(_touched, cancellationToken));
        var verified = _verified.Distinct(StringComparer.Ordinal).ToList();
        _ledger.AnnounceVerified(verified);
        return verified;
    }

    /// <summary>Adds the evidence recorded since the last call to the summaries (<see cref="EvidenceSummaries"/>), in this transaction.</summary>
    private async Task SummarizeAsync()
    {
        if (_added.Count == 0)
        {
            return;
        }

        await _ledger.SummarizeInAsync(Connection, Transaction, _added);
        _added.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        // Once only: Npgsql reuses a transaction object on its pooled connection, so a second dispose could end another caller's transaction.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _write.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
