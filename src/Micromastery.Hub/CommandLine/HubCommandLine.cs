using System.CommandLine;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.CommandLine;

/// <summary>
/// The same executable as the hub, run with a verb: <c>init</c>, <c>config</c>, and the verbs features add.
/// Verbs use the hub's services and storage but start no web server and no job server.
/// </summary>
internal static class HubCommandLine
{
    /// <summary>
    /// A verb is a first argument that is neither a switch (<c>--urls</c>, <c>-h</c>, <c>/x</c>) nor a
    /// configuration value (<c>Key=Value</c>). Which verbs exist comes from their registrations, so a verb
    /// that is mistyped or not registered is an error from the command line, never the hub starting instead.
    /// </summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (args[0] is "--help" or "-h" or "-?" or "--version"
            || (args[0].Length > 0 && args[0][0] is not ('-' or '/') && !args[0].Contains('=', StringComparison.Ordinal)));

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var services = app.Services;
        var root = new RootCommand("Micromastery Hub: verifies micromastery payoffs against the real services. Without a verb it runs the hub.");
        foreach (var verb in services.GetServices<ICommandLineVerb>())
        {
            root.Subcommands.Add(verb.Create(services));
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count == 0 && parsed.CommandResult.Command.Name != InitVerb.Name && parsed.CommandResult.Command != root)
        {
            await services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
            var stack = services.GetRequiredService<StackStore>();
            if (File.Exists(stack.Path) && stack.Reload() is { Count: > 0 } errors)
            {
                await Console.Error.WriteLineAsync($"warning: {stack.Path} is invalid, using an empty stack:");
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync($"  {stack.Path}:{error}");
                }
            }
        }

        return await parsed.InvokeAsync();
    }
}
