using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Ui;

/// <summary>The API's words for states, as the owner's pages show them (the same words, never new ones).</summary>
internal static class OwnerWords
{
    /// <summary>verified (with its date) / pending / unknown / stale / not configured.</summary>
    public static string Payoff(MicromasteryReport m, TimeZoneInfo zone) =>
        m.Payoff == PayoffStates.Disputed ? PayoffStates.Disputed
        : m.VerifiedAt is { } at ? $"{PayoffStates.Verified} {OwnerPages.When(at, zone)[..10]}"
        : m.Checks.Any(c => c.State == CheckStates.NotConfigured) ? CheckStates.NotConfigured
        : m.Checks.Any(c => c.Stale) ? "stale"
        : m.Checks.Any(c => c.State == CheckStates.Waiting) ? CheckStates.Waiting
        : m.Payoff;

    /// <summary>demonstrated (with the contexts) / not yet — the report's repeatability in words.</summary>
    public static string Repeatability(MicromasteryReport m) => m.Repeatability switch
    {
        { State: RepeatabilityStates.Demonstrated } r => $"{r.State}: {string.Join(", ", r.Contexts.Select(c => c.Context))}",
        { Contexts.Count: 1 } r => $"{r.State} (one context: {r.Contexts[0].Context})",
        _ => RepeatabilityStates.NotYet,
    };

    /// <summary>A CSS class for a state word: "not configured" → "state-not-configured".</summary>
    public static string StateClass(string word) => "state-" + word.Split(' ')[0] switch
    {
        "not" => "not-configured",
        var first => first,
    };

    private static string Sentence(string text) => char.ToUpperInvariant(text[0]) + text[1..] + ".";

    /// <summary>A check the owner has to act on, and what to do; null when it needs nothing.</summary>
    public static string? ToDo(CheckReport check) => check switch
    {
        { State: CheckStates.NotConfigured } => Sentence(check.Message ?? "not configured: a setting is missing"),
        { State: CheckStates.Waiting } => $"Waiting for a webhook: Connections shows the URL to give the service ({check.Message ?? "a webhook can prove it"}).",
        { State: CheckStates.Unknown } => $"The service could not be asked ({check.Message ?? "no answer"}). It retries on its own; fix the cause, then press Check now.",
        { Stale: true } => "No good answer for two scheduled periods: look for its job in Jobs, then press Check now.",
        { Type: Stack.CheckTypes.Manual, State: not CheckStates.Holds } => "Record the evidence yourself (a link or a note) on the micromastery's page.",
        _ => null,
    };
}
