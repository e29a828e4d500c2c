using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Micromastery.Hub.Tests.Providers;

/// <summary>
/// What the hub learns from each registered provider, read from the hub's services as Program.cs registers them (no
/// host): a provider that declares a check type, a webhook or a probe is reachable through it, and nothing reaches the
/// hub past them. That each webhook has its route is in <see cref="ProviderRouteTests"/>.
/// </summary>
public sealed class ProviderModuleTests(SqliteStore store) : IClassFixture<SqliteStore>, IAsyncLifetime
{
    private HubServices hub = null!;

    private IReadOnlyList<IProvider> Providers => [.. hub.Services.GetServices<IProvider>()];

    public async Task InitializeAsync() => hub = await store.CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Providers_HaveDistinctLowerCaseNamesAndDisplayNames()
    {
        Assert.True(Providers.Count >= 5, $"only {Providers.Count} providers registered");
        Assert.All(Providers, p =>
        {
            Assert.Matches("^[a-z][a-z0-9]*$", p.Name);
            Assert.False(string.IsNullOrWhiteSpace(p.DisplayName));
        });
        Assert.Equal(Providers.Count, Providers.Select(p => p.Name).Distinct().Count());
    }

    [Fact]
    public void EveryCheckTypeButManual_BelongsToExactlyOneProvider_AndEveryDeclaredTypeIsRegistered()
    {
        var registry = hub.Service<CheckTypeRegistry>();
        var declared = Providers.SelectMany(p => p.CheckTypes).ToList();

        Assert.Equal(declared.Count, declared.Distinct().Count());
        Assert.Equal(registry.Names.Where(n => n != CheckTypes.Manual).Order(), declared.Order());
    }

    [Fact]
    public void EveryCheckType_WordsItselfForAStranger()
    {
        var registry = hub.Service<CheckTypeRegistry>();

        Assert.All(registry.Names, name =>
        {
            var type = registry.Find(name)!;
            var check = new CheckSpec("c", name, new Dictionary<string, string>(), null, 1);
            Assert.False(string.IsNullOrWhiteSpace(type.HowVerified(check)), name);
            Assert.False(string.IsNullOrWhiteSpace(type.EvidenceTitle), name);
        });
    }

    [Fact]
    public void EveryWebhookSource_IsAProviders()
    {
        var sources = hub.Services.GetServices<IWebhookSource>().ToList();

        Assert.Equal(sources.Select(s => s.Provider).Order(), Providers.Where(p => p.Webhook is not null).Select(p => p.Name).Order());
        Assert.All(Providers.Where(p => p.Webhook is not null), p => Assert.Same(p.Webhook, sources.Single(s => s.Provider == p.Name)));
    }

    [Fact]
    public void EveryWebhookProvider_HasAWebhookKit_SoTheReceiverRulesRunForIt()
    {
        var webhookProviders = Providers.Where(p => p.Webhook is not null).Select(p => p.Name).Order();

        Assert.Equal(webhookProviders, WebhookKit.All.Keys.Order());
        Assert.All(WebhookKit.All.Values, kit => Assert.Equal(kit.SignatureHeader, Providers.Single(p => p.Name == kit.Provider).Webhook!.SignatureHeader));
    }

    [Fact]
    public void EveryProvidersProbe_IsAskedByTheConfigVerb()
    {
        var probes = hub.Services.GetServices<IConfigurationProbe>().ToList();

        Assert.All(Providers, p => Assert.Contains(p.Probe, probes));
    }

    [Fact]
    public void SecretAndKeyIsSet_FollowTheConfiguration()
    {
        // The test hub configures the webhook secrets of the providers the receiver tests sign for, and no API keys.
        var stripe = Providers.Single(p => p.WebhookPath == "/webhooks/stripe");

        Assert.True(stripe.WebhookSecretIsSet);
        Assert.False(stripe.ApiKeyIsSet);
        Assert.All(Providers.Where(p => p.Webhook is null), p => Assert.Null(p.WebhookSecretIsSet));
    }

    [Fact]
    public void EveryCatalogCheck_IsARegisteredCheckType()
    {
        var registry = hub.Service<CheckTypeRegistry>();

        Assert.All(Catalog.Staples.SelectMany(s => s.Checks), c => Assert.NotNull(registry.Find(c.Type)));
    }
}
