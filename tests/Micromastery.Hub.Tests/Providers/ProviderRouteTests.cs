using Micromastery.Hub.Providers;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Micromastery.Hub.Tests.Providers;

/// <summary>Every registered provider's webhook is mapped to its route by the running hub.</summary>
[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class ProviderRouteTests(SqliteHub hub)
{
    [Fact]
    public void EveryWebhookSource_IsAProvidersAndHasItsRoute()
    {
        var sources = hub.Factory.Services.GetServices<IWebhookSource>().ToList();
        var providers = hub.Factory.Services.GetServices<IProvider>().ToList();
        var routes = hub.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToHashSet();

        Assert.Equal(sources.Select(s => s.Provider).Order(), providers.Where(p => p.Webhook is not null).Select(p => p.Name).Order());
        Assert.All(providers.Where(p => p.Webhook is not null), p =>
        {
            Assert.Same(p.Webhook, sources.Single(s => s.Provider == p.Name));
            Assert.Contains(p.WebhookPath!, routes);
        });
    }
}
