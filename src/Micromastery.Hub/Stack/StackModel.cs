using System.Collections.Frozen;

namespace Micromastery.Hub.Stack;

/// <summary>A payoff check as the stack file declares it.</summary>
/// <param name="Id">Unique within its micromastery; defaults to the check type.</param>
/// <param name="Schedule">Cron expression for polling checks; null means the type's default.</param>
public sealed record CheckSpec(
    string Id,
    string Type,
    IReadOnlyDictionary<string, string> Parameters,
    string? Schedule,
    int Line)
{
    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;
}

/// <summary>One micromastery of the user's stack, resolved against the catalog.</summary>
public sealed record Micromastery(
    string Slug,
    string Name,
    Layer Layer,
    DateOnly Started,
    TimeZoneInfo TimeZone,
    Anatomy? Anatomy,
    string? StapleId,
    IReadOnlyList<CheckSpec> Checks)
{
    /// <summary>Shown on the public page, its badge and feed: only with <c>public: true</c> in the stack file.</summary>
    public bool Public { get; init; }

    public PlanDay PlanOn(DateTimeOffset now) => SevenDayPlan.DayOf(Started, TimeZone, now);
}

/// <summary>The user's stack: the last valid contents of the stack file.</summary>
public sealed record StackDefinition(
    TimeZoneInfo TimeZone,
    IReadOnlyList<Micromastery> Micromasteries)
{
    public static StackDefinition Empty { get; } = new(TimeZoneInfo.Utc, []);

    /// <summary>The <c>profile:</c> section that heads the public page, or null when the file has none.</summary>
    public StackProfile? Profile { get; init; }

    private FrozenDictionary<string, Micromastery>? _bySlug;

    /// <summary>The micromastery with exactly this slug: another casing is another (unknown) slug, never a second name.</summary>
    public Micromastery? Find(string slug)
    {
        _bySlug ??= Micromasteries.ToFrozenDictionary(m => m.Slug, StringComparer.Ordinal);
        return _bySlug.GetValueOrDefault(slug);
    }
}
