using System.CommandLine;

namespace Micromastery.Hub.CommandLine;

/// <summary>A verb of the hub's command line (<c>Micromastery.Hub &lt;verb&gt;</c>); each feature registers its own.</summary>
internal interface ICommandLineVerb
{
    Command Create(IServiceProvider services);
}

/// <summary>One line of <c>config</c>: a setting or credential and whether it works.</summary>
public sealed record ProbeResult(string Area, string Item, bool Ok, string Detail);

/// <summary>Checks a feature's configuration and credentials for the <c>config</c> verb (and never prints a secret).</summary>
internal interface IConfigurationProbe
{
    Task<IReadOnlyList<ProbeResult>> ProbeAsync(CancellationToken cancellationToken);
}
