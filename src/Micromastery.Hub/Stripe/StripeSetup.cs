using Micromastery.Hub.CommandLine;
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
        return builder;
    }
}
