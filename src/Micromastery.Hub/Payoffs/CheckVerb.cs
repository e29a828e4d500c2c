using System.CommandLine;
using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary><c>check</c>: polls every check of the stack now (not through Hangfire) and prints a table.</summary>
internal sealed class CheckVerb : ICommandLineVerb
{
    public Command Create(IServiceProvider services)
    {
        var command = new Command("check", "Run every payoff check of the stack now and print what each found.");
        command.SetAction(async (_, ct) => await RunAsync(services, Console.Out, ct));
        return command;
    }

    /// <summary>Returns 0 when every service answered, 1 when a check is unknown or not configured.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        var stack = services.GetRequiredService<StackStore>();
        var runner = services.GetRequiredService<CheckRunner>();
        var rows = new List<IReadOnlyList<string>>();
        var failed = false;
        foreach (var m in stack.Current.Micromasteries)
        {
            foreach (var check in m.Checks)
            {
                var result = await runner.RunAsync(m.Slug, check.Id, cancellationToken);
                if (result is null)
                {
                    rows.Add([m.Slug, check.Id, check.Type, "-", "not polled (record evidence yourself)"]);
                    continue;
                }

                failed |= result.State is CheckStates.Unknown or CheckStates.NotConfigured;
                rows.Add([m.Slug, check.Id, check.Type, result.State, result.Message ?? $"{result.Observations} seen"]);
            }
        }

        // Verdicts include evidence from webhooks and earlier polls, not only this run.
        var report = await services.GetRequiredService<PayoffReporter>().BuildAsync(cancellationToken);
        var states = report.Micromasteries.SelectMany(m => m.Checks.Select(c => ((m.Slug, c.Id), c.State))).ToDictionary(x => x.Item1, x => x.State);
        await output.WriteAsync(TextTable.Render(["micromastery", "check", "type", "state", "detail"], rows.Select(r =>
            states.TryGetValue((r[0], r[1]), out var state) && state == CheckStates.Holds && r[3] != CheckStates.Holds
                ? (IReadOnlyList<string>)[r[0], r[1], r[2], CheckStates.Holds, "evidence recorded earlier"]
                : r)));
        await output.WriteLineAsync(string.Join("  ", report.Micromasteries.Select(m => $"{m.Slug}: {m.Payoff}")));
        return failed ? 1 : 0;
    }
}
