namespace Micromastery.Hub.Webhooks;

/// <summary>Where an inbox event stands; stored as its number, written and read only through <see cref="InboxStore"/>.</summary>
public enum InboxState
{
    /// <summary>Waiting for processing (a first time, or again after a failed attempt once its backoff is over).</summary>
    Received = 0,
    Processed = 1,
    Ignored = 2,
    Failed = 3,
}

/// <summary>How an event reached the inbox.</summary>
public enum InboxVia
{
    Webhook = 0,

    /// <summary>Recovered from the provider's own log over its API (TLS, the owner's key): it never arrived by webhook.</summary>
    Reconciliation = 1,
}
