namespace Micromastery.Hub.Payoffs;

/// <summary>
/// Something a service showed the hub, by webhook or by poll: the same shape for both, so a check
/// does not care how its proof arrived.
/// </summary>
/// <param name="Source">The service: <c>stripe</c>, <c>github</c>, <c>calcom</c>, …</param>
/// <param name="Kind">What was seen, usually the check type it can satisfy, e.g. <c>stripe.test-payment</c>.</param>
/// <param name="ExternalId">The service's own id of the thing seen (unique per source and kind).</param>
/// <param name="Url">A link to the real thing, for a human to click.</param>
/// <param name="Facts">Attributes checks filter on (amount, branch, event, …).</param>
public sealed record Observation(
    string Source,
    string Kind,
    string ExternalId,
    DateTimeOffset ObservedAt,
    string? Url,
    IReadOnlyDictionary<string, string?> Facts)
{
    /// <summary>Longest external id stored: real ids are tens of characters; PostgreSQL's index refuses a few thousand.</summary>
    public const int MaxExternalIdLength = 255;

    /// <summary>Longest link stored.</summary>
    public const int MaxUrlLength = 2048;

    public string? Fact(string name) => Facts.TryGetValue(name, out var value) ? value : null;

    /// <summary>Why this observation cannot be stored, or null when it can.</summary>
    public string? Problem() =>
        ExternalId.Length is 0 or > MaxExternalIdLength ? $"{Source} id is {ExternalId.Length} characters; ids are 1 to {MaxExternalIdLength}"
        : Url?.Length > MaxUrlLength ? $"{Source} link is {Url.Length} characters; links are at most {MaxUrlLength}"
        : null;
}
