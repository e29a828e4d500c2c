namespace Micromastery.Hub.Webhooks;

/// <summary>Which of the given event ids (de-duplication keys) the inbox already holds for the provider.</summary>
internal delegate Task<IReadOnlySet<string>> KnownEvents(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken);

/// <summary>
/// A provider's own record of what it sent by webhook, asked over its API with the owner's key: each provider
/// that keeps one registers it from its folder (<see cref="Providers.ProvidersSetup.AddEventLog{T}"/>), and
/// <see cref="InboxReconciliation"/> puts what the inbox missed into the inbox under the webhook's own key.
/// </summary>
internal interface IProviderEventLog
{
    /// <summary>The provider's name, as in the inbox rows.</summary>
    string Provider { get; }

    /// <summary>How long the provider keeps its log: reconciliation never asks further back.</summary>
    TimeSpan Retention { get; }

    /// <summary>Null when the log can be asked now; otherwise why not (the setting that is missing).</summary>
    string? NotAskedBecause { get; }

    /// <summary>
    /// The events sent since <paramref name="since"/> that the hub acts on and <paramref name="known"/> does not hold, each as
    /// the webhook would have stored it (same event id, type and body). Throws when the provider could not be asked.
    /// </summary>
    Task<IReadOnlyList<InboxEvent>> MissedSinceAsync(DateTimeOffset since, KnownEvents known, CancellationToken cancellationToken);
}
