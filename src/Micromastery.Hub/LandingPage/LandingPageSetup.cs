using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.LandingPage;

public static class LandingPageSetup
{
    public static IHostApplicationBuilder AddLandingPage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LandingPageOptions>().BindConfiguration(LandingPageOptions.Section);
        builder.Services.AddSingleton<PageFetcher>();
        builder.Services.AddPollingCheck<HttpPageCheck>();
        builder.Services.AddSingleton<IConfigurationProbe, LandingPageProbe>();
        return builder;
    }
}
