using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.CalCom;

/// <summary>API key set and accepted (one GET /v2/event-types); webhook secret set.</summary>
internal sealed class CalComProbe(IOptionsMonitor<CalComOptions> options, CalComApi api) : IConfigurationProbe
{
    public async Task<IReadOnlyList<ProbeResult>> ProbeAsync(CancellationToken cancellationToken)
    {
        var results = new List<ProbeResult>();
        try
        {
            using var types = await api.EventTypesAsync(cancellationToken);
            results.Add(new ProbeResult("calcom", "CalCom:ApiKey", true, $"accepted; {types.DataArray().Count()} event type(s)"));
        }
        catch (CheckNotConfiguredException ex)
        {
            results.Add(new ProbeResult("calcom", "CalCom:ApiKey", false, ex.Message));
        }
        catch (CheckUnavailableException ex)
        {
            results.Add(new ProbeResult("calcom", "CalCom:ApiKey", false, $"set, but the call failed: {ex.Message}"));
        }

        results.Add(string.IsNullOrWhiteSpace(options.CurrentValue.WebhookSecret)
            ? new ProbeResult("calcom", "CalCom:WebhookSecret", false, "not set: POST /webhooks/calcom answers 503 until it is")
            : new ProbeResult("calcom", "CalCom:WebhookSecret", true, "set"));
        return results;
    }
}
