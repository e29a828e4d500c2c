using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>A parameter a check type accepts in the stack file.</summary>
/// <param name="Validate">Returns an error message for a bad value, or null when the value is fine.</param>
public sealed record CheckParameter(string Name, bool Required, string Description, Func<string, string?>? Validate = null);

/// <summary>
/// A kind of payoff check. Each service folder registers its types; the stack file parser validates
/// against them and the evidence pipeline asks them which observations satisfy a check.
/// </summary>
public interface ICheckType
{
    string Type { get; }

    string Description { get; }

    IReadOnlyList<CheckParameter> Parameters { get; }

    /// <summary>True when the observation proves this check, given the check's parameters.</summary>
    bool Satisfies(CheckSpec check, Observation observation);

    /// <summary>How this check verifies a payoff, said for a stranger: only what it asserts, never a name, id or count it saw.</summary>
    string HowVerified(CheckSpec check);

    /// <summary>What one piece of its evidence is, for the public evidence list (no ids), e.g. "Meeting booked (Cal.com)".</summary>
    string EvidenceTitle { get; }

    /// <summary>
    /// Whether a stranger may follow the link of its evidence when the owner did not mark it public: true only for
    /// what is public by nature. <paramref name="fact"/> reads the evidence's recorded facts by key.
    /// </summary>
    bool LinkIsPublic(Func<string, string?> fact) => false;

    /// <summary>What a distinct context is for this type (e.g. "repository"): repeatability is the payoff reached in two.</summary>
    string? ContextNoun => null;

    /// <summary>The context of a piece of evidence (the repository, product, publication, host …), or null when it has none.</summary>
    string? ContextOf(Observation observation) => null;

    /// <summary>True when its provider's webhooks deliver observations that satisfy it, so it works without polling.</summary>
    bool WebhooksCanSatisfy => false;
}

/// <summary>A check type that is verified by polling the service's API on a schedule.</summary>
internal interface IPollingCheckType : ICheckType
{
    /// <summary>Cron used when the stack file gives no schedule.</summary>
    string DefaultSchedule { get; }

    /// <summary>
    /// Asks the service for observations that may satisfy <paramref name="check"/>.
    /// Throws <see cref="CheckUnavailableException"/> when the answer cannot be trusted (upstream error,
    /// timeout, rate limit) and <see cref="CheckNotConfiguredException"/> when a credential is missing.
    /// </summary>
    Task<IReadOnlyList<Observation>> PollAsync(Stack.Micromastery micromastery, CheckSpec check, CancellationToken cancellationToken);
}

/// <summary>
/// A polling type that can ask its service about one object it observed before (by id), rather than
/// re-polling the newest objects: a payment, a run, a booking or a post older than the newest page is
/// still re-checkable. Types without it are re-confirmed by polling again and looking for the object.
/// </summary>
internal interface IRecheckableCheckType : IPollingCheckType
{
    /// <summary>
    /// What the service says now about <paramref name="observation"/>. Throws <see cref="CheckUnavailableException"/>
    /// when the service could not be asked (the answer is <c>unknown</c>, never <c>gone</c>).
    /// </summary>
    Task<Recheck> RecheckAsync(CheckSpec check, Observation observation, CancellationToken cancellationToken);
}

/// <summary>The service could not give a trustworthy answer; the check is <c>unknown</c> and retried.</summary>
internal sealed class CheckUnavailableException(string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A credential or setting is missing, or the service rejected it; names the configuration key to set.</summary>
/// <param name="rejected">The credential is set and the service refused it: a mistake to fix, not a setting still to come.</param>
internal sealed class CheckNotConfiguredException(string configurationKey, bool rejected = false)
    : Exception($"not configured: set {configurationKey}")
{
    public string ConfigurationKey { get; } = configurationKey;

    public bool Rejected { get; } = rejected;
}

/// <summary>
/// The service answered, and the answer is "not yet", with a reason worth showing (e.g. "certificate
/// expires in 3 days"). The check is <c>pending</c>; nothing is recorded.
/// </summary>
internal sealed class CheckPendingException(string reason) : Exception(reason);
