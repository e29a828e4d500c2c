using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>Checks as the stack file parser makes them, for calling a check type's evaluation directly.</summary>
public static class Checks
{
    /// <summary>A check of <paramref name="type"/>; parameters as "name=value" pairs.</summary>
    public static CheckSpec Spec(string type, params string[] parameters) =>
        new(type, type, parameters.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal), null, 1);
}
