using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.LemonSqueezy;

/// <summary>Lemon Squeezy: paid test-mode orders, by webhook (<c>X-Signature</c>) and, with an API key, by polling orders.</summary>
internal sealed class LemonSqueezyProvider(LemonSqueezyApi api, LemonSqueezyWebhookSource webhook, LemonSqueezyProbe probe) : IProvider, IProviderRegistration
{
    public static void Register(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LemonSqueezyOptions>().BindConfiguration(LemonSqueezyOptions.Section);
        builder.Services.AddHttpClient(LemonSqueezyApi.HttpClientName).AddPollingResilience();
        builder.Services.AddSingleton<LemonSqueezyApi>();
        builder.Services.AddPollingCheck<LemonSqueezyTestOrderCheck>();
        builder.Services.AddWebhookSource<LemonSqueezyWebhookSource>();
        builder.Services.AddSingleton<LemonSqueezyProbe>();
    }

    public string Name => LemonSqueezyWebhookSource.Name;

    public string DisplayName => "Lemon Squeezy";

    public IWebhookSource? Webhook => webhook;

    public string? ApiKeySetting => LemonSqueezyApi.KeySetting;

    public bool? ApiKeyIsSet => api.HasKey;

    public string? ApiKeyUse => "polling test-mode orders (an API key from Settings → API)";

    public ConnectionStep NextStep(string? webhookUrl) =>
        new($"In Lemon Squeezy: Settings → Webhooks → +. Callback URL {webhookUrl}, a signing secret (the same as LemonSqueezy:WebhookSecret), events: order_created and order_refunded. Use test mode while you practise.");

    public IConfigurationProbe Probe => probe;

    public IReadOnlyList<string> CheckTypes { get; } = [LemonSqueezyTestOrderCheck.Name];
}
