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
/// <param name="Since">
/// The stack file's opt-in <c>since</c>: evidence from this date on counts, for a skill practised before
/// the hub was installed. Null means the practice window opens on <paramref name="Started"/>.
/// </param>
/// <param name="Reconfirm">The stack file's <c>reconfirm</c> cron for re-confirming evidence at its source; null means the configured default (weekly).</param>
public sealed record Micromastery(
    string Slug,
    string Name,
    Layer Layer,
    DateOnly Started,
    TimeZoneInfo TimeZone,
    Anatomy? Anatomy,
    string? StapleId,
    IReadOnlyList<CheckSpec> Checks,
    DateOnly? Since = null,
    string? Reconfirm = null)
{
    /// <summary>Shown on the public page, its badge and feed: only with <c>public: true</c> in the stack file.</summary>
    public bool Public { get; init; }

    public PlanDay PlanOn(DateTimeOffset now) => SevenDayPlan.DayOf(Started, TimeZone, now);

    /// <summary>The plan day the payoff was first verified on (<see cref="SevenDayPlan.DaysToPayoff"/>), in this micromastery's time zone.</summary>
    public int? DaysToPayoff(DateTimeOffset? verifiedAt) => SevenDayPlan.DaysToPayoff(Started, TimeZone, verifiedAt);

    /// <summary>The first day whose evidence counts: <see cref="Since"/> when given, else <see cref="Started"/>.</summary>
    public DateOnly WindowStartDay => Since ?? Started;

    /// <summary>The instant the practice window opens: midnight of its first day in the micromastery's time zone.</summary>
    public DateTimeOffset WindowStart => PracticeWindow.StartOf(WindowStartDay, TimeZone);

    /// <summary>True when evidence seen at <paramref name="observedAt"/> is from before the practice (kept, shown, never counted).</summary>
    public bool IsPrior(DateTimeOffset observedAt) => observedAt < WindowStart;
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
