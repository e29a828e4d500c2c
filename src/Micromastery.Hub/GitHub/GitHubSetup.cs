using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.GitHub;

public static class GitHubSetup
{
    public static IHostApplicationBuilder AddGitHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.Section);
        builder.Services.AddSingleton<GitHubRateLimit>();
        builder.Services.AddTransient<GitHubRateLimit.Handler>();
        builder.Services.AddSingleton<GitHubResponseCache>();
        builder.Services.AddHttpClient(GitHubApi.HttpClientName)
            .AddHttpMessageHandler<GitHubRateLimit.Handler>()
            .AddPollingResilience();
        builder.Services.AddSingleton<GitHubApi>();
        builder.Services.AddPollingCheck<GitHubWorkflowRunCheck>();
        builder.Services.AddSingleton<IWebhookSource, GitHubWebhookSource>();
        builder.Services.AddSingleton<IConfigurationProbe, GitHubProbe>();
        return builder;
    }
}
