using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Providers;

/// <summary>
/// One external service, declared by its own folder: <see cref="IProviderRegistration.Register"/> adds its options, clients, check
/// types (each with its name, public wording, disclosure rule and repeatability context), webhook source,
/// probe and recurring jobs; the instance answers what the rest of the hub asks about the service. The hub
/// learns a provider from one <c>builder.AddProvider&lt;T&gt;()</c> line in <c>Program.cs</c> and otherwise only
/// iterates the registered providers.
/// </summary>
internal interface IProvider
{
    /// <summary>Lower-case name: the webhook route (<c>/webhooks/{name}</c>), the inbox rows, the probe's area.</summary>
    string Name { get; }

    /// <summary>The service's name as people write it, e.g. <c>Cal.com</c>.</summary>
    string DisplayName { get; }

    /// <summary>The webhook receiver, or null when the service sends none (it is polled only).</summary>
    IWebhookSource? Webhook { get; }

    /// <summary>The configuration key of the API credential, or null when polling needs none.</summary>
    string? ApiKeySetting { get; }

    /// <summary>Whether that credential is set now (never its value); null when there is none.</summary>
    bool? ApiKeyIsSet { get; }

    /// <summary>What the credential is for, in a phrase (<c>/connections</c>); null when there is none.</summary>
    string? ApiKeyUse { get; }

    /// <summary>What to do next to connect the service, given the webhook URL to paste (null for a service without webhooks).</summary>
    ConnectionStep NextStep(string? webhookUrl);

    /// <summary>Checks the service's configuration and credentials (the <c>config</c> verb, a "test connection").</summary>
    IConfigurationProbe Probe { get; }

    /// <summary>The check types it contributes, by name.</summary>
    IReadOnlyList<string> CheckTypes { get; }

    /// <summary>Where the service posts its webhooks, or null.</summary>
    string? WebhookPath => Webhook is null ? null : WebhookEndpoints.PathOf(Webhook);

    /// <summary>Whether the webhook secret is set now (never its value); null when the service sends no webhooks.</summary>
    bool? WebhookSecretIsSet => Webhook is null ? null : !string.IsNullOrWhiteSpace(Webhook.Secret);
}

/// <summary>How a provider's folder adds its services; kept apart from <see cref="IProvider"/> so the hub can list providers as services.</summary>
internal interface IProviderRegistration
{
    /// <summary>Adds everything the service needs. Called once, from <see cref="ProvidersSetup.AddProvider{T}"/>.</summary>
    static abstract void Register(IHostApplicationBuilder builder);
}

/// <summary>A provider's next step on <c>/connections</c>: a sentence, and a command to copy when there is one.</summary>
public sealed record ConnectionStep(string Text, string? Command = null);
