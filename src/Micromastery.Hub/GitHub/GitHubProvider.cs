using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.GitHub;

/// <summary>GitHub: successful workflow runs, by webhook (<c>X-Hub-Signature-256</c>) and by polling with a token.</summary>
internal sealed class GitHubProvider(IOptionsMonitor<GitHubOptions> options, GitHubWebhookSource webhook, GitHubProbe probe) : IProvider, IProviderRegistration
{
    public static void Register(IHostApplicationBuilder builder)
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
        builder.Services.AddWebhookSource<GitHubWebhookSource>();
        builder.Services.AddSingleton<GitHubProbe>();
        builder.Services.AddEventLog<GitHubDeliveryLog>();
    }

    public string Name => GitHubWebhookSource.Name;

    public string DisplayName => "GitHub";

    public IWebhookSource? Webhook => webhook;

    public string? ApiKeySetting => $"{GitHubOptions.Section}:{nameof(GitHubOptions.Token)}";

    public bool? ApiKeyIsSet => !string.IsNullOrWhiteSpace(options.CurrentValue.Token);

    public string? ApiKeyUse => "polling workflow runs (a fine-grained token with Actions: read)";

    public ConnectionStep NextStep(string? webhookUrl) =>
        new($"In the repository: Settings → Webhooks → Add webhook. Payload URL {webhookUrl}, content type application/json, the same secret as GitHub:WebhookSecret, events: Workflow runs. The hub must be reachable from the internet (or use a tunnel).");

    public IConfigurationProbe Probe => probe;

    public IReadOnlyList<string> CheckTypes { get; } = [GitHubWorkflowRunCheck.Name];
}
