using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Infrastructure;

/// <summary>The <c>config</c> verb's lines for storage and the stack file.</summary>
internal sealed class StorageProbe(HubDatabase database, StackStore stack) : IConfigurationProbe
{
    public async Task<IReadOnlyList<ProbeResult>> ProbeAsync(CancellationToken cancellationToken)
    {
        var results = new List<ProbeResult>();
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            results.Add(new("storage", database.Provider.ToString(), true, $"reachable, schema version {await Migrator.VersionAsync(connection)}"));
        }
        catch (Exception ex)
        {
            results.Add(new("storage", database.Provider.ToString(), false, $"unreachable: {ex.Message} (check Storage:Provider and ConnectionStrings:Hub)"));
        }

        var errors = File.Exists(stack.Path) ? stack.Reload() : [new StackFileError(0, 0, "missing: run 'init' or start the hub once")];
        results.Add(new("stack", stack.Path, errors.Count == 0,
            errors.Count == 0 ? $"{stack.Current.Micromasteries.Count} micromasteries" : string.Join("; ", errors)));
        return results;
    }
}
