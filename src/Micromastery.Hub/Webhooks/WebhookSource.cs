using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Webhooks;

/// <summary>What a provider's verifier decided about one delivery.</summary>
internal abstract record WebhookCheck
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
internal sealed record StoredEvent(long Id, string Provider, string EventId, string EventType, string Body, DateTimeOffset ReceivedAt);

/// <summary>A check of the stack, by micromastery slug and check id.</summary>
internal sealed record CheckRef(string Slug, string CheckId);

/// <summary>
/// What processing made of a stored event: observations to record, or why it is ignored; checks to
/// poll now, which the drain starts only after its transaction committed; and answers about objects
/// already observed (a refund, a cancellation) that revoke or change their evidence.
/// </summary>
internal sealed record InboxOutcome(IReadOnlyList<Observation> Observations, string? IgnoredBecause, IReadOnlyList<CheckRef> PollNow, IReadOnlyList<Recheck>? Rechecks = null)
{
    public static InboxOutcome Ignored(string reason) => new([], reason, []);

    public static InboxOutcome Observed(params Observation[] observations) => new(observations, null, []);

    public static InboxOutcome Poll(IReadOnlyList<CheckRef> checks) => new([], null, checks);

    public static InboxOutcome Rechecked(params Recheck[] rechecks) => new([], null, [], rechecks);
}

/// <summary>
/// One webhook provider: it declares its secret and its signature header and supplies verification and
/// mapping. The shared endpoint does the rest: secret configured, signature header present, body limits,
/// durable storage, de-duplication, processing in the commit that stores the event (the drain job for the rest) and acknowledgement.
/// </summary>
internal interface IWebhookSource
{
    /// <summary>Lower-case name, used in the route (<c>/webhooks/{name}</c>) and the inbox rows.</summary>
    string Provider { get; }

    /// <summary>The service's name as people write it, e.g. <c>Cal.com</c>.</summary>
    string DisplayName { get; }

    /// <summary>The configuration key of the secret, named when it is missing.</summary>
    string SecretKey { get; }

    /// <summary>The secret now (read per delivery, so a reload applies); blank when not configured, and then deliveries are refused.</summary>
    string? Secret { get; }

    /// <summary>
    /// The header carrying the signature; a delivery without it is refused before <see cref="Verify"/>. Null for a
    /// scheme without one header (a token in another place, several headers): <see cref="Verify"/> then gets an
    /// empty signature and reads the headers itself.
    /// </summary>
    string? SignatureHeader { get; }

    /// <summary>
    /// Verifies <paramref name="signature"/> over the raw body with the configured <paramref name="secret"/>, then
    /// reads which event it is. Reads <see cref="WebhookBody.Text"/> only if it needs the text: it is decoded once
    /// and stored as it is.
    /// </summary>
    WebhookCheck Verify(string secret, string signature, IHeaderDictionary headers, WebhookBody body);

    /// <summary>Turns a stored event into observations or checks to poll, or says why it is ignored. Has no side effects.</summary>
    InboxOutcome Map(StoredEvent stored);
}
