using System.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.CommandLine;

/// <summary><c>init</c>: writes a stack file from catalog staples.</summary>
internal sealed class InitVerb : ICommandLineVerb
{
    public const string Name = "init";

    public Command Create(IServiceProvider services)
    {
        var staples = new Option<string[]>("--staple")
        {
            Description = "Catalog staple id to include (repeatable). Default: stripe-payment-link.",
            AllowMultipleArgumentsPerToken = true,
        };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing stack file." };
        var list = new Option<bool>("--list") { Description = "List the catalog's staples and exit." };
        var command = new Command(Name, "Write a stack file from the built-in catalog.") { staples, force, list };
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(list))
            {
                Console.Write(TextTable.Render(["id", "layer", "name", "checks"],
                    Catalog.Staples.Select(s => (IReadOnlyList<string>)[s.Id, s.Layer.Code(), s.Name, string.Join(", ", s.Checks.Select(c => c.Type))])));
                return 0;
            }

            var store = services.GetRequiredService<StackStore>();
            if (File.Exists(store.Path) && !result.GetValue(force))
            {
                await Console.Error.WriteLineAsync($"{store.Path} exists; use --force to overwrite it.");
                return 1;
            }

            var ids = result.GetValue(staples) is { Length: > 0 } chosen ? chosen : ["stripe-payment-link"];
            var unknown = ids.Where(id => Catalog.Find(id) is null).ToList();
            if (unknown.Count > 0)
            {
                await Console.Error.WriteLineAsync($"unknown staple(s): {string.Join(", ", unknown)}; 'init --list' shows the catalog.");
                return 1;
            }

            var registry = services.GetRequiredService<CheckTypeRegistry>();
            await File.WriteAllTextAsync(store.Path, Text(ids.Select(id => Catalog.Find(id)!), registry, DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime)), ct);
            Console.WriteLine($"wrote {store.Path} with {ids.Length} micromasteries; fill in the parameters marked TODO.");
            return 0;
        });
        return command;
    }

    public static string Text(IEnumerable<Staple> staples, CheckTypeRegistry registry, DateOnly today) => StackFileWriter.Write(
        staples.Select(staple => new StackFileWriter.Entry(staple,
            // Only check types this hub can run; a staple with none falls back to manual evidence.
            [.. staple.Checks.Where(c => registry.Find(c.Type) is not null).DefaultIfEmpty(SuggestedCheck.Of(CheckTypes.Manual))])),
        today,
        ["Micromastery Hub — your stack (written by 'init'). The running hub reloads this file on save.",
         "Fill in the parameters marked TODO; GET /api/check-types describes each."]);
}
