using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Newsletter;

/// <summary>Newsletters: a published issue (Beehiiv's API, or any RSS/Atom feed) and active subscribers (Beehiiv). Polled only.</summary>
internal sealed class NewsletterProvider(IOptionsMonitor<BeehiivOptions> options, NewsletterProbe probe) : IProvider, IProviderRegistration
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

    public string? ApiKeyUse => "Beehiiv posts and subscriber counts; a check with a 'feed' URL needs no key";

    public ConnectionStep NextStep(string? webhookUrl) =>
        new("Newsletters are polled, not pushed: give a check a 'feed' (RSS/Atom URL), or a Beehiiv 'publication' and set Beehiiv:ApiKey.");

    public IConfigurationProbe Probe => probe;

    public IReadOnlyList<string> CheckTypes { get; } = [NewsletterPublishedCheck.Name, NewsletterSubscribersCheck.Name];
}
