using System.CommandLine;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.CommandLine;

/// <summary>
/// The same executable as the hub, run with a verb: <c>init</c>, <c>config</c>, and the verbs features add.
/// Verbs use the hub's services and storage but start no web server and no job server.
/// </summary>
public static class HubCommandLine
{
    private static readonly string[] Verbs = ["init", "config", "check", "render", Access.HashPasswordVerb.Name, "--help", "-h", "-?"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var services = app.Services;
        var root = new RootCommand("Micromastery Hub: verifies micromastery payoffs against the real services. Without a verb it runs the hub.");
        root.Subcommands.Add(InitVerb.Create(services));
        foreach (var verb in services.GetServices<ICommandLineVerb>())
        {
            root.Subcommands.Add(verb.Create(services));
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count == 0 && parsed.CommandResult.Command.Name != "init" && parsed.CommandResult.Command != root)
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
