using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stripe;

namespace Micromastery.Hub.Webhooks;

/// <summary>What one provider's log was asked and what the inbox had missed.</summary>
public sealed record ProviderReconciliation(bool Asked, int Recovered, DateTimeOffset? Since, string? Note = null);

/// <summary>
/// Asks each provider's own log what the inbox missed (the hub was off, or its webhook secret wrong) and puts
/// each missed event into the same inbox, under the same de-duplication key (Stripe's event id), marked
/// <see cref="InboxVia.Reconciliation"/>: the group commit processes it like a delivery, and a webhook that
/// arrives later is a duplicate. Trusted because it came from the provider's API over TLS with the owner's key.
/// </summary>
public sealed partial class InboxReconciliation(InboxWriter writer, HubDatabase database, StripeEventLog stripe, TimeProvider clock, ILogger<InboxReconciliation> logger)
{
    /// <summary>Asked again before the newest event the hub has: events are not logged in the order they arrive.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    public async Task<IReadOnlyDictionary<string, ProviderReconciliation>> RunAsync(CancellationToken cancellationToken) =>
        new Dictionary<string, ProviderReconciliation> { ["stripe"] = await StripeAsync(cancellationToken) };

    private async Task<ProviderReconciliation> StripeAsync(CancellationToken cancellationToken)
    {
        if (!stripe.IsConfigured)
        {
            return new ProviderReconciliation(false, 0, null, "Stripe:ApiKey is not set");
        }

        var since = await SinceAsync("stripe", StripeEventLog.Retention, cancellationToken);
        var recovered = 0;
        foreach (var e in await stripe.SinceAsync(since, cancellationToken))
        {
            if (await writer.WriteAsync(new InboxEvent("stripe", e.Id, e.Type, e.Body, InboxVia.Reconciliation), cancellationToken) == InboxWriteResult.Stored)
            {
                recovered++;
            }
        }

        LogReconciled("stripe", recovered, since);
        return new ProviderReconciliation(true, recovered, since);
    }

    /// <summary>The newest event of the provider the inbox has, less the margin, and never before the provider's retention.</summary>
    private async Task<DateTimeOffset> SinceAsync(string provider, TimeSpan retention, CancellationToken cancellationToken)
    {
        var floor = clock.GetUtcNow() - retention;
        await using var connection = await database.OpenAsync(cancellationToken);
        var newest = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT max(received_at) FROM inbox_events WHERE provider = @provider", new { provider }, cancellationToken: cancellationToken));
        var since = newest is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) - Margin : floor;
        return since < floor ? floor : since;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled the {Provider} inbox with the provider's log: {Recovered} missed events recovered since {Since}")]
    private partial void LogReconciled(string provider, int recovered, DateTimeOffset since);
}
