namespace Micromastery.Hub.Stack;

/// <summary>
/// Twigger's six features of a micromastery, in the words a solopreneur can act on.
/// </summary>
public sealed record Anatomy(
    string EntryTrick,
    string RubOfReality,
    string BackgroundSupport,
    string Payoff,
    string Repeatability,
    string ExperimentalPath);

/// <summary>A check a staple suggests; parameters the user must fill in are listed by name.</summary>
public sealed record SuggestedCheck(string Type, IReadOnlyList<string> RequiredParameters)
{
    public static SuggestedCheck Of(string type, params string[] requiredParameters) => new(type, requiredParameters);
}

/// <summary>A catalog entry: one of the seed's 21 staples, or a physical classic.</summary>
public sealed record Staple(
    string Id,
    string Name,
    Layer Layer,
    Anatomy Anatomy,
    IReadOnlyList<SuggestedCheck> Checks)
{
    /// <summary>True when no API can see the payoff and only recorded evidence proves it.</summary>
    public bool IsManualOnly => Checks.All(c => c.Type == CheckTypes.Manual);
}
