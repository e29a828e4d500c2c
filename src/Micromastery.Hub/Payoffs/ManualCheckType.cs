using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>For skills no API can see: the user records the evidence (POST /api/micromasteries/{slug}/evidence).</summary>
internal sealed class ManualCheckType : ICheckType
{
    public string Type => CheckTypes.Manual;

    public string Description => "Evidence you record yourself: a link or a note (for skills no API can see).";

    public IReadOnlyList<CheckParameter> Parameters { get; } =
        [new("describe", Required: false, "What counts as the payoff, in your words.")];

    // Manual evidence is written straight against its check; no service observation satisfies it.
    public bool Satisfies(CheckSpec check, Observation observation) => false;

    public string HowVerified(CheckSpec check) => "proof the owner recorded by hand";

    public string EvidenceTitle => "Recorded by the owner";

    public string ContextNoun => "context";

    /// <summary>The context the owner typed with the evidence (another customer, another product).</summary>
    public string? ContextOf(Observation observation) => observation.Fact("context");

    /// <summary>
    /// The observation a person's link or note becomes; a fresh id each time, as each telling is its own proof — unless
    /// the telling carries an idempotency <paramref name="key"/> (a form's): the same key again is the same evidence.
    /// </summary>
    public static Observation Evidence(string slug, string checkId, string? url, string? note, DateTimeOffset at, string? context = null, string? key = null) =>
        new("manual", CheckTypes.Manual, $"{slug}/{checkId}/{key ?? Guid.NewGuid().ToString("N")}", at, url,
            new Dictionary<string, string?> { ["slug"] = slug, ["check"] = checkId, ["note"] = note, ["context"] = context });
}
