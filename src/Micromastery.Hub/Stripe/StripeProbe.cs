using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Stripe;

internal sealed class StripeProbe(IOptionsMonitor<StripeOptions> options, StripeApi api) : IConfigurationProbe
{
    public async Task<IReadOnlyList<ProbeResult>> ProbeAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var secret = settings.WebhookSecret;
        var results = new List<ProbeResult>
        {
            string.IsNullOrWhiteSpace(secret)
                ? new ProbeResult("stripe", "Stripe:WebhookSecret", false, "not set: POST /webhooks/stripe answers 503 until it is")
                : new ProbeResult("stripe", "Stripe:WebhookSecret", secret.StartsWith("whsec_", StringComparison.Ordinal),
                    secret.StartsWith("whsec_", StringComparison.Ordinal) ? "set" : "set, but a Stripe signing secret starts with 'whsec_'"),
        };

        try
        {
            // One cheap list call proves the key works.
            var links = await api.ActivePaymentLinksAsync(cancellationToken);
            var test = settings.ApiKey!.Contains("_test_", StringComparison.Ordinal);
            results.Add(new ProbeResult("stripe", "Stripe:ApiKey", true, $"accepted{(test ? "" : " (not a test-mode key: payoffs count test payments only)")}; {links.Count} active payment link(s)"));
        }
        catch (CheckNotConfiguredException ex)
        {
            results.Add(new ProbeResult("stripe", "Stripe:ApiKey", false, ex.Message));
        }
        catch (CheckUnavailableException ex)
        {
            results.Add(new ProbeResult("stripe", "Stripe:ApiKey", false, $"set, but the call failed: {ex.Message}"));
        }

        return results;
    }
}
