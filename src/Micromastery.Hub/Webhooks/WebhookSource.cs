using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Webhooks;

/// <summary>What a provider's verifier decided about one delivery.</summary>
public abstract record WebhookCheck
{
    private WebhookCheck()
    {
    }

    /// <summary>Signature valid; the provider's id for de-duplication and the event type.</summary>
    public sealed record Accepted(string EventId, string EventType) : WebhookCheck;

    /// <summary>Refused: nothing is stored. <paramref name="Reason"/> is safe to send back (no secrets).</summary>
    public sealed record Rejected(int StatusCode, string Reason) : WebhookCheck;
}

/// <summary>An inbox row as stored, handed to its provider for processing.</summary>
public sealed record StoredEvent(long Id, string Provider, string EventId, string EventType, string Body, DateTimeOffset ReceivedAt);

/// <summary>What processing made of a stored event.</summary>
public sealed record InboxOutcome(IReadOnlyList<Observation> Observations, string? IgnoredBecause)
{
    public static InboxOutcome Ignored(string reason) => new([], reason);

    public static InboxOutcome Observed(params Observation[] observations) => new(observations, null);
}

/// <summary>
/// One webhook provider. The shared inbox does the rest: body limits, durable storage,
/// de-duplication, acknowledgement and processing in Hangfire jobs.
/// </summary>
public interface IWebhookSource
{
    /// <summary>Lower-case name, used in the route (<c>/webhooks/{name}</c>) and the inbox rows.</summary>
    string Provider { get; }

    /// <summary>Verifies the signature over the raw body. Fails closed when no secret is configured.</summary>
    WebhookCheck Verify(IHeaderDictionary headers, byte[] body);

    /// <summary>Turns a stored event into observations, or says why it is ignored.</summary>
    InboxOutcome Map(StoredEvent stored);
}
