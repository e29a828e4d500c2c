using System.CommandLine;

namespace Micromastery.Hub.CommandLine;

/// <summary><c>config</c>: checks the configuration and every credential, one line each.</summary>
internal sealed class ConfigVerb : ICommandLineVerb
{
    public Command Create(IServiceProvider services)
    {
        var command = new Command("config", "Check the configuration and every credential (secrets are never printed).");
        command.SetAction(async (_, ct) =>
        {
            var results = new List<ProbeResult>();
            foreach (var probe in services.GetServices<IConfigurationProbe>())
            {
                results.AddRange(await probe.ProbeAsync(ct));
            }

            Console.Write(TextTable.Render(["area", "item", "ok", "detail"],
                results.Select(r => (IReadOnlyList<string>)[r.Area, r.Item, r.Ok ? "yes" : "NO", r.Detail])));
            return results.All(r => r.Ok) ? 0 : 1;
        });
        return command;
    }
}
