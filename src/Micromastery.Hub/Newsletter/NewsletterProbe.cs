using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Newsletter;

/// <summary>Beehiiv key set and accepted (one GET /v2/publications). Feeds need no credential.</summary>
internal sealed class NewsletterProbe(BeehiivApi beehiiv) : IConfigurationProbe
{
    public async Task<IReadOnlyList<ProbeResult>> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var publications = await beehiiv.PublicationsAsync(cancellationToken);
            return [new ProbeResult("newsletter", "Beehiiv:ApiKey", true, $"accepted; {publications.DataArray().Count()} publication(s)")];
        }
        catch (CheckNotConfiguredException ex)
        {
            return [new ProbeResult("newsletter", "Beehiiv:ApiKey", false, $"{ex.Message} (only for Beehiiv 'publication' checks; feeds need none)")];
        }
        catch (CheckUnavailableException ex)
        {
            return [new ProbeResult("newsletter", "Beehiiv:ApiKey", false, $"set, but the call failed: {ex.Message}")];
        }
    }
}
