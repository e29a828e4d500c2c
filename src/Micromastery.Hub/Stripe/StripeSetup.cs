using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Connections;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Stripe;

public static class StripeSetup
{
    public static IHostApplicationBuilder AddStripe(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section);
        builder.Services.AddSingleton<IWebhookSource, StripeWebhookSource>();
        builder.Services.AddHttpClient(StripeApi.HttpClientName).AddPollingResilience();
        builder.Services.AddSingleton<StripeApi>();
        builder.Services.AddPollingCheck<StripeTestPaymentCheck>();
        builder.Services.AddPollingCheck<StripePaymentLinkCheck>();
        builder.Services.AddSingleton<IConfigurationProbe, StripeProbe>();
        builder.Services.AddConnectionGuide(new(StripeWebhookSource.Name, "Stripe", $"{StripeOptions.Section}:{nameof(StripeOptions.ApiKey)}",
            sp => !string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptionsMonitor<StripeOptions>>().CurrentValue.ApiKey),
            "polling for test payments and payment links (a sk_test_/rk_test_ key; read access suffices)",
            url => new("Forward Stripe's test events here with the Stripe CLI; it prints the whsec_… secret to set as Stripe:WebhookSecret. On a server, add the URL as an endpoint under Developers → Webhooks instead.",
                $"stripe listen --forward-to {url}")));
        return builder;
    }
}
