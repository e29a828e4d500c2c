using System.Collections.Frozen;

namespace Micromastery.Hub.Payoffs;

/// <summary>Every check type the hub knows, by name.</summary>
public sealed class CheckTypeRegistry(IEnumerable<ICheckType> types)
{
    private readonly FrozenDictionary<string, ICheckType> _types =
        types.ToFrozenDictionary(t => t.Type, StringComparer.Ordinal);

    public IEnumerable<string> Names => _types.Keys.Order(StringComparer.Ordinal);

    public ICheckType? Find(string type) => _types.GetValueOrDefault(type);

    /// <summary>When a check is polled: its own <c>schedule</c>, else its type's default, in the micromastery's time zone. Null for checks that are not polled.</summary>
    public Stack.Schedule? ScheduleOf(Stack.Micromastery micromastery, Stack.CheckSpec check) =>
        Find(check.Type) is IPollingCheckType polling ? new Stack.Schedule(check.Schedule ?? polling.DefaultSchedule, micromastery.TimeZone) : null;
}
