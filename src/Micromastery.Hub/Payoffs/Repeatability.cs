namespace Micromastery.Hub.Payoffs;

internal static class RepeatabilityStates
{
    /// <summary>The payoff was reached in two or more distinct contexts.</summary>
    public const string Demonstrated = "demonstrated";

    public const string NotYet = "not yet";
}

/// <summary>One context the payoff was reached in, with the evidence from it.</summary>
/// <param name="Evidence">External ids of its evidence; from the summaries, the first one only (<paramref name="EvidenceCount"/> says how many there are).</param>
public sealed record RepeatabilityContext(string Context, DateTimeOffset FirstObservedAt, IReadOnlyList<string> Evidence, long? EvidenceCount = null);

/// <param name="DemonstratedAt">When the second context first showed: evidence is only ever added, so this never moves.</param>
/// <param name="WhatCounts">What would count as another context, for the owner.</param>
public sealed record RepeatabilityReport(string State, DateTimeOffset? DemonstratedAt, IReadOnlyList<RepeatabilityContext> Contexts, string WhatCounts);

/// <summary>
/// Twigger's repeatability read from the evidence: the same payoff in a second, distinct context (another
/// repository, product, publication, event type, host, or a context the owner names). Each check type says
/// what the context of its evidence is; the contexts of all of a micromastery's checks count together, so a
/// stack entry may list one check per context (two repositories, two products).
/// </summary>
internal static class Repeatability
{
    public static RepeatabilityReport Of(Stack.Micromastery micromastery, IEnumerable<(string CheckId, Observation Observation)> evidence, CheckTypeRegistry types)
    {
        var typeOf = micromastery.Checks.ToDictionary(c => c.Id, c => types.Find(c.Type), StringComparer.Ordinal);
        // Prior evidence proves something from before the practice, not that the practice repeats.
        var contexts = evidence
            .Where(e => !micromastery.IsPrior(e.Observation.ObservedAt))
            .Select(e => (e.Observation, Context: typeOf.GetValueOrDefault(e.CheckId)?.ContextOf(e.Observation)))
            .Where(e => !string.IsNullOrEmpty(e.Context))
            .GroupBy(e => e.Context!, StringComparer.Ordinal)
            .Select(g => new RepeatabilityContext(g.Key, g.Min(e => e.Observation.ObservedAt), [.. g.Select(e => e.Observation.ExternalId).Distinct()]))
            .OrderBy(c => c.FirstObservedAt)
            .ToList();

        return Report(contexts, WhatCounts(typeOf.Values));
    }

    /// <summary>The same report from the summaries' contexts (<see cref="EvidenceSummaries"/>): no evidence is read.</summary>
    public static RepeatabilityReport From(Stack.Micromastery micromastery, IEnumerable<ContextRow> rows, CheckTypeRegistry types) =>
        Report([.. rows.OrderBy(r => r.FirstAt).ThenBy(r => r.FirstEvidenceId)
                .Select(r => new RepeatabilityContext(r.Context, DateTimeOffset.FromUnixTimeMilliseconds(r.FirstAt), [r.FirstExternalId], r.EvidenceCount))],
            WhatCounts(micromastery.Checks.Select(c => types.Find(c.Type))));

    private static string WhatCounts(IEnumerable<ICheckType?> checkTypes)
    {
        var nouns = checkTypes.Select(t => t?.ContextNoun).OfType<string>().Distinct().ToList();
        return nouns.Count == 0
            ? "None of its checks tells contexts apart: add a manual check and record evidence with a context."
            : $"The payoff reached again in another {string.Join(" or ", nouns)}.";
    }

    private static RepeatabilityReport Report(List<RepeatabilityContext> contexts, string whatCounts) =>
        contexts.Count >= 2
            ? new RepeatabilityReport(RepeatabilityStates.Demonstrated, contexts[1].FirstObservedAt, contexts, whatCounts)
            : new RepeatabilityReport(RepeatabilityStates.NotYet, null, contexts, whatCounts);
}
