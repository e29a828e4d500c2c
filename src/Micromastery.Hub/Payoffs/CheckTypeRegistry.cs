using System.Collections.Frozen;

namespace Micromastery.Hub.Payoffs;

/// <summary>Every check type the hub knows, by name.</summary>
public sealed class CheckTypeRegistry(IEnumerable<ICheckType> types)
{
    private readonly FrozenDictionary<string, ICheckType> _types =
        types.ToFrozenDictionary(t => t.Type, StringComparer.Ordinal);

    public IEnumerable<string> Names => _types.Keys.Order(StringComparer.Ordinal);

    public ICheckType? Find(string type) => _types.GetValueOrDefault(type);
}
