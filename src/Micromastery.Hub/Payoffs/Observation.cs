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
    public string? Fact(string name) => Facts.TryGetValue(name, out var value) ? value : null;
}
