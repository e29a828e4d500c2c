using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Newsletter;

/// <summary>Newsletters: a published issue (Beehiiv's API, or any RSS/Atom feed) and active subscribers (Beehiiv). Polled only.</summary>
public sealed class NewsletterProvider(IOptionsMonitor<BeehiivOptions> options, NewsletterProbe probe) : IProvider, IProviderRegistration
{
    public static void Register(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BeehiivOptions>().BindConfiguration(BeehiivOptions.Section);
        builder.Services.AddHttpClient(BeehiivApi.HttpClientName).AddPollingResilience();
        builder.Services.AddHttpClient(FeedReader.HttpClientName).AddPollingResilience();
        builder.Services.AddSingleton<BeehiivApi>();
        builder.Services.AddSingleton<FeedReader>();
        builder.Services.AddPollingCheck<NewsletterPublishedCheck>();
        builder.Services.AddPollingCheck<NewsletterSubscribersCheck>();
        builder.Services.AddSingleton<NewsletterProbe>();
    }

    public string Name => "newsletter";

    public string DisplayName => "Newsletter (Beehiiv or a feed)";

    public IWebhookSource? Webhook => null;

    public string? ApiKeySetting => $"{BeehiivOptions.Section}:{nameof(BeehiivOptions.ApiKey)}";

    public bool? ApiKeyIsSet => !string.IsNullOrWhiteSpace(options.CurrentValue.ApiKey);

    public IConfigurationProbe Probe => probe;

    public IReadOnlyList<string> CheckTypes { get; } = [NewsletterPublishedCheck.Name, NewsletterSubscribersCheck.Name];
}
