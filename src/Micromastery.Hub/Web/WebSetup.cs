using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Web;

public static class WebSetup
{
    public static IHostApplicationBuilder AddWebPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section);
        builder.Services.AddSingleton<PageFetcher>();
        builder.Services.AddPollingCheck<HttpPageCheck>();
        builder.Services.AddSingleton<IConfigurationProbe, WebProbe>();
        return builder;
    }
}
