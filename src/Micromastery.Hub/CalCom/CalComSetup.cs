using Micromastery.Hub.Connections;
using Microsoft.Extensions.Options;
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
        builder.Services.AddConnectionGuide(new(CalComWebhookSource.Name, "Cal.com", $"{CalComOptions.Section}:{nameof(CalComOptions.ApiKey)}",
            sp => !string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptionsMonitor<CalComOptions>>().CurrentValue.ApiKey),
            "polling event types and bookings (Cal.com API v2 key)",
            url => new($"In Cal.com: Settings → Developer → Webhooks → New. Subscriber URL {url}, the same secret as CalCom:WebhookSecret, triggers: Booking created and Booking cancelled.")));
        return builder;
    }
}
