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
        return builder;
    }
}
