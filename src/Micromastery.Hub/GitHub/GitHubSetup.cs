using Micromastery.Hub.Connections;
using Microsoft.Extensions.Options;
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
        builder.Services.AddConnectionGuide(new(GitHubWebhookSource.Name, "GitHub", $"{GitHubOptions.Section}:{nameof(GitHubOptions.Token)}",
            sp => !string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptionsMonitor<GitHubOptions>>().CurrentValue.Token),
            "polling workflow runs (a fine-grained token with Actions: read)",
            url => new($"In the repository: Settings → Webhooks → Add webhook. Payload URL {url}, content type application/json, the same secret as GitHub:WebhookSecret, events: Workflow runs. The hub must be reachable from the internet (or use a tunnel).")));
        return builder;
    }
}
