using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Stripe;

/// <summary>Stripe: test payments and Payment Links, by webhook (<c>Stripe-Signature</c>) and by polling with an API key.</summary>
internal sealed class StripeProvider(IOptionsMonitor<StripeOptions> options, StripeWebhookSource webhook, StripeProbe probe) : IProvider, IProviderRegistration
{
    public static void Register(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section);
        builder.Services.AddWebhookSource<StripeWebhookSource>();
        builder.Services.AddHttpClient(StripeApi.HttpClientName).AddPollingResilience();
        builder.Services.AddSingleton<StripeApi>();
        builder.Services.AddPollingCheck<StripeTestPaymentCheck>();
        builder.Services.AddPollingCheck<StripePaymentLinkCheck>();
        builder.Services.AddSingleton<StripeProbe>();
        builder.Services.AddHttpClient(StripeEventLog.HttpClientName);
        builder.Services.AddEventLog<StripeEventLog>();
    }

    public string Name => StripeWebhookSource.Name;

    public string DisplayName => "Stripe";

    public IWebhookSource? Webhook => webhook;

    public string? ApiKeySetting => $"{StripeOptions.Section}:{nameof(StripeOptions.ApiKey)}";

    public bool? ApiKeyIsSet => !string.IsNullOrWhiteSpace(options.CurrentValue.ApiKey);

    public string? ApiKeyUse => "polling for test payments and payment links (a sk_test_/rk_test_ key; read access suffices)";

    public ConnectionStep NextStep(string? webhookUrl) =>
        new("Forward Stripe's test events here with the Stripe CLI; it prints the whsec_… secret to set as Stripe:WebhookSecret. On a server, add the URL as an endpoint under Developers → Webhooks instead.",
            $"stripe listen --forward-to {webhookUrl}");

    public IConfigurationProbe Probe => probe;

    public IReadOnlyList<string> CheckTypes { get; } = [StripeTestPaymentCheck.Name, StripePaymentLinkCheck.Name];
}
