using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>Options that never change, for constructing a hub type without a host.</summary>
public sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
