using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.LemonSqueezy;

/// <summary>Webhook signing secret set; API key (optional) set and accepted (one GET /v1/users/me).</summary>
internal sealed class LemonSqueezyProbe(IOptionsMonitor<LemonSqueezyOptions> options, LemonSqueezyApi api) : IConfigurationProbe
{
    private const string Area = LemonSqueezyWebhookSource.Name;

    public async Task<IReadOnlyList<ProbeResult>> ProbeAsync(CancellationToken cancellationToken)
    {
        var secretKey = $"{LemonSqueezyOptions.Section}:{nameof(LemonSqueezyOptions.WebhookSecret)}";
        var results = new List<ProbeResult>
        {
            string.IsNullOrWhiteSpace(options.CurrentValue.WebhookSecret)
                ? new ProbeResult(Area, secretKey, false, "not set: POST /webhooks/lemonsqueezy answers 503 until it is")
                : new ProbeResult(Area, secretKey, true, "set"),
        };

        if (!api.HasKey)
        {
            results.Add(new ProbeResult(Area, LemonSqueezyApi.KeySetting, true, "not set: the check waits for webhooks (set it to poll orders as well)"));
            return results;
        }

        try
        {
            using var me = await api.MeAsync(cancellationToken);
            var testMode = me.RootElement.TryGetProperty("meta", out var meta) && meta.ValueKind == System.Text.Json.JsonValueKind.Object ? meta.Bool("test_mode") : null;
            results.Add(new ProbeResult(Area, LemonSqueezyApi.KeySetting, true, testMode == false ? "accepted (a live-mode key: the check counts test-mode orders only)" : "accepted"));
        }
        catch (CheckNotConfiguredException ex)
        {
            results.Add(new ProbeResult(Area, LemonSqueezyApi.KeySetting, false, ex.Message));
        }
        catch (CheckUnavailableException ex)
        {
            results.Add(new ProbeResult(Area, LemonSqueezyApi.KeySetting, false, $"set, but the call failed: {ex.Message}"));
        }

        return results;
    }
}
