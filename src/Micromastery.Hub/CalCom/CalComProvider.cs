using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.CalCom;

/// <summary>Cal.com: tiered event types and bookings, by webhook (<c>X-Cal-Signature-256</c>) and by polling API v2 with a key.</summary>
internal sealed class CalComProvider(IOptionsMonitor<CalComOptions> options, CalComWebhookSource webhook, CalComProbe probe) : IProvider, IProviderRegistration
{
    public static void Register(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CalComOptions>().BindConfiguration(CalComOptions.Section);
        builder.Services.AddHttpClient(CalComApi.HttpClientName).AddPollingResilience();
        builder.Services.AddSingleton<CalComApi>();
        builder.Services.AddPollingCheck<CalComEventTypesCheck>();
        builder.Services.AddPollingCheck<CalComBookingCheck>();
        builder.Services.AddWebhookSource<CalComWebhookSource>();
        builder.Services.AddSingleton<CalComProbe>();
    }

    public string Name => CalComWebhookSource.Name;

    public string DisplayName => "Cal.com";

    public IWebhookSource? Webhook => webhook;

    public string? ApiKeySetting => $"{CalComOptions.Section}:{nameof(CalComOptions.ApiKey)}";

    public bool? ApiKeyIsSet => !string.IsNullOrWhiteSpace(options.CurrentValue.ApiKey);

    public string? ApiKeyUse => "polling event types and bookings (Cal.com API v2 key)";

    public ConnectionStep NextStep(string? webhookUrl) =>
        new($"In Cal.com: Settings → Developer → Webhooks → New. Subscriber URL {webhookUrl}, the same secret as CalCom:WebhookSecret, triggers: Booking created and Booking cancelled.");

    public IConfigurationProbe Probe => probe;

    public IReadOnlyList<string> CheckTypes { get; } = [CalComEventTypesCheck.Name, CalComBookingCheck.Name];
}
