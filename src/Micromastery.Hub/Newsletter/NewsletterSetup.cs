using Micromastery.Hub.Connections;
using Microsoft.Extensions.Options;
using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Newsletter;

public static class NewsletterSetup
{
    public static IHostApplicationBuilder AddNewsletter(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BeehiivOptions>().BindConfiguration(BeehiivOptions.Section);
        builder.Services.AddHttpClient(BeehiivApi.HttpClientName).AddPollingResilience();
        builder.Services.AddHttpClient(FeedReader.HttpClientName).AddPollingResilience();
        builder.Services.AddSingleton<BeehiivApi>();
        builder.Services.AddSingleton<FeedReader>();
        builder.Services.AddPollingCheck<NewsletterPublishedCheck>();
        builder.Services.AddPollingCheck<NewsletterSubscribersCheck>();
        builder.Services.AddSingleton<IConfigurationProbe, NewsletterProbe>();
        builder.Services.AddConnectionGuide(new("newsletter", "Newsletter (Beehiiv or any feed)", $"{BeehiivOptions.Section}:{nameof(BeehiivOptions.ApiKey)}",
            sp => !string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptionsMonitor<BeehiivOptions>>().CurrentValue.ApiKey),
            "Beehiiv posts and subscriber counts; a check with a 'feed' URL needs no key",
            _ => new("Newsletters are polled, not pushed: give a check a 'feed' (RSS/Atom URL), or a Beehiiv 'publication' and set Beehiiv:ApiKey.")));
        return builder;
    }
}
