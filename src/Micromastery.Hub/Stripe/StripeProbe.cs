using Micromastery.Hub.CommandLine;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Stripe;

public sealed class StripeProbe(IOptionsMonitor<StripeOptions> options) : IConfigurationProbe
{
    public Task<IReadOnlyList<ProbeResult>> ProbeAsync(CancellationToken cancellationToken)
    {
        var secret = options.CurrentValue.WebhookSecret;
        IReadOnlyList<ProbeResult> results =
        [
            string.IsNullOrWhiteSpace(secret)
                ? new ProbeResult("stripe", "Stripe:WebhookSecret", false, "not set: POST /webhooks/stripe answers 503 until it is")
                : new ProbeResult("stripe", "Stripe:WebhookSecret", secret.StartsWith("whsec_", StringComparison.Ordinal),
                    secret.StartsWith("whsec_", StringComparison.Ordinal) ? "set" : "set, but a Stripe signing secret starts with 'whsec_'"),
        ];
        return Task.FromResult(results);
    }
}
