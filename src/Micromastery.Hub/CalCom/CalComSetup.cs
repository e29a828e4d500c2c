using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.CalCom;

public static class CalComSetup
{
    public static IHostApplicationBuilder AddCalCom(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CalComOptions>().BindConfiguration(CalComOptions.Section);
        builder.Services.AddHttpClient(CalComApi.HttpClientName).AddPollingResilience();
        builder.Services.AddSingleton<CalComApi>();
        builder.Services.AddPollingCheck<CalComEventTypesCheck>();
        builder.Services.AddPollingCheck<CalComBookingCheck>();
        builder.Services.AddSingleton<IWebhookSource, CalComWebhookSource>();
        builder.Services.AddSingleton<IConfigurationProbe, CalComProbe>();
        return builder;
    }
}
