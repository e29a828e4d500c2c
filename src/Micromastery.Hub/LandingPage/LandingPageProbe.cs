using Micromastery.Hub.CommandLine;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.LandingPage;

/// <summary>http.page needs no credential; reports the extra trusted roots, if any.</summary>
internal sealed class LandingPageProbe(IOptionsMonitor<LandingPageOptions> options) : IConfigurationProbe
{
    public Task<IReadOnlyList<ProbeResult>> ProbeAsync(CancellationToken cancellationToken)
    {
        var path = options.CurrentValue.ExtraRootCertificates;
        IReadOnlyList<ProbeResult> results =
        [
            string.IsNullOrWhiteSpace(path)
                ? new ProbeResult("web", "Web:ExtraRootCertificates", true, "not set: pages are judged against the system's trusted roots")
                : new ProbeResult("web", "Web:ExtraRootCertificates", File.Exists(path), File.Exists(path) ? $"trusting the roots in {path} too" : $"{path} does not exist"),
        ];
        return Task.FromResult(results);
    }
}
