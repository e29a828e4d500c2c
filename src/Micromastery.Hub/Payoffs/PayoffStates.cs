namespace Micromastery.Hub.Payoffs;

internal static class PayoffStates
{
    public const string Verified = "verified";
    public const string Pending = "pending";
    public const string Unknown = "unknown";

    /// <summary>Was verified, and every piece of evidence that verified it is now gone at its source; the first verification time is kept.</summary>
    public const string Disputed = "disputed";
}

internal static class CheckStates
{
    /// <summary>Evidence exists.</summary>
    public const string Holds = "holds";

    /// <summary>Asked, and the service showed nothing that satisfies the check yet.</summary>
    public const string Pending = "pending";

    /// <summary>The service could not be asked (error, timeout, rate limit): no verdict either way.</summary>
    public const string Unknown = "unknown";

    /// <summary>A credential or setting is missing; the message names the key.</summary>
    public const string NotConfigured = "not configured";

    /// <summary>
    /// Nothing satisfies it yet, and it cannot be polled (its credential is missing), but a webhook can still
    /// prove it: not broken, waiting. The message names what polling would need.
    /// </summary>
    public const string Waiting = "waiting for a webhook";
}
