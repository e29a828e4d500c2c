using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// What one provider's log was asked and what the inbox had missed. <paramref name="Note"/> says why it was not
/// asked, or that it could not answer (then nothing was recorded and the next reconciliation asks again).
/// </summary>
internal sealed record ProviderReconciliation(bool Asked, int Recovered, DateTimeOffset? Since, string? Note = null);

/// <summary>
/// Asks each provider's own log (<see cref="IProviderEventLog"/>) what the inbox missed — the hub was off, or its
/// webhook secret wrong — and puts each missed event into the same inbox, under the webhook's de-duplication key,
/// marked <see cref="InboxVia.Reconciliation"/>: the group commit processes it like a delivery, and a webhook that
/// arrives later is a duplicate. Trusted because it came from the provider's API over TLS with the owner's key.
/// </summary>
internal sealed partial class InboxReconciliation(
    InboxWriter writer,
    InboxStore inbox,
    IEnumerable<IProviderEventLog> logs,
    IEnumerable<IProvider> providers,
    TimeProvider clock,
    ILogger<InboxReconciliation> logger)
{
    /// <summary>Asked again before the last reconciliation: events are not logged in the order they happen.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    /// <summary>The providers whose log can be asked.</summary>
    public IEnumerable<string> Providers => logs.Select(l => l.Provider);

    /// <summary>
    /// Every provider with a log, and every other provider that sends webhooks, which answers "not asked": it keeps no
    /// log the hub can ask (its checks that poll still see what the service holds).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ProviderReconciliation>> RunAsync(CancellationToken cancellationToken)
    {
        var answers = new SortedDictionary<string, ProviderReconciliation>(StringComparer.Ordinal);
        foreach (var log in logs)
        {
            answers[log.Provider] = await RunAsync(log, cancellationToken);
        }

        foreach (var provider in providers.Where(p => p.Webhook is not null && !answers.ContainsKey(p.Name)))
        {
            answers[provider.Name] = new ProviderReconciliation(false, 0, null,
                $"{provider.DisplayName} offers no log of its webhook deliveries to ask; its checks that poll the service still see what it holds");
        }

        return answers;
    }

    /// <summary>One provider's reconciliation (its recurring job); null for a provider without a log.</summary>
    public async Task<ProviderReconciliation?> RunAsync(string provider, CancellationToken cancellationToken) =>
        logs.FirstOrDefault(l => l.Provider == provider) is { } log ? await RunAsync(log, cancellationToken) : null;

    private async Task<ProviderReconciliation> RunAsync(IProviderEventLog log, CancellationToken cancellationToken)
    {
        if (log.NotAskedBecause is { } why)
        {
            return new ProviderReconciliation(false, 0, null, why);
        }

        var started = clock.GetUtcNow();
        var since = await SinceAsync(log, started, cancellationToken);
        IReadOnlyList<InboxEvent> missed;
        try
        {
            missed = await log.MissedSinceAsync(since, (ids, ct) => inbox.KnownAsync(log.Provider, ids, ct), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is CheckUnavailableException or CheckNotConfiguredException or HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException or TaskCanceledException)
        {
            // Nothing is recorded from a log that did not answer in full; the next reconciliation asks from the same time.
            LogNotAnswered(ex, log.Provider);
            return new ProviderReconciliation(true, 0, since, $"the provider could not be asked ({ex.Message}); nothing was recorded, the next reconciliation asks again");
        }

        var recovered = 0;
        foreach (var e in missed)
        {
            if (await writer.WriteAsync(e with { Via = InboxVia.Reconciliation }, cancellationToken) == InboxWriteResult.Stored)
            {
                recovered++;
            }
        }

        await inbox.ReconciledAsync(log.Provider, started, cancellationToken);
        LogReconciled(log.Provider, recovered, since);
        return new ProviderReconciliation(true, recovered, since);
    }

    /// <summary>
    /// When the provider's log was last asked in full, less the margin, and never before the provider's retention. Not the
    /// newest event received: a webhook that arrives after an outage (or once a wrong secret is fixed) would hide the outage.
    /// </summary>
    private async Task<DateTimeOffset> SinceAsync(IProviderEventLog log, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var floor = now - log.Retention;
        var since = await inbox.ReconciledAtAsync(log.Provider, cancellationToken) is { } last ? last - Margin : floor;
        return since < floor ? floor : since;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled the {Provider} inbox with the provider's log: {Recovered} missed events recovered since {Since}")]
    private partial void LogReconciled(string provider, int recovered, DateTimeOffset since);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Provider} log could not be asked for missed events; nothing recorded")]
    private partial void LogNotAnswered(Exception exception, string provider);
}
