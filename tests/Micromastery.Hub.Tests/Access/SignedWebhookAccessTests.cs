using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Access;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>
/// Webhook endpoints prove each request by its provider's signature, so the owner's schemes are not run
/// for them (a cost on every delivery otherwise). Only they: every other endpoint, public or not, still
/// goes through authentication and authorization, as <see cref="EndpointWalkTests"/> shows from outside.
/// </summary>
[Collection(AccessCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class SignedWebhookAccessTests(AccessHub hub)
{
    [Fact]
    public void OnlyTheWebhookEndpoints_SkipTheOwnersSchemes_AndTheyArePublic()
    {
        var endpoints = hub.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var skipping = endpoints.Where(AccessSetup.SkipsOwnerSchemes)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .Order();

        var webhooks = hub.Factory.Services.GetServices<Micromastery.Hub.Providers.IProvider>()
            .Select(p => p.WebhookPath).OfType<string>().Select(path => $"POST {path}").Order().ToList();

        Assert.True(endpoints.Count > 20);
        Assert.True(webhooks.Count >= 3, "the registered providers lost their webhooks");
        Assert.Equal(webhooks, skipping);
    }

    [Fact]
    public void AWebhookEndpointThatAsksForAPolicy_NoLongerSkipsTheOwnersSchemes()
    {
        var webhook = hub.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == "/webhooks/stripe");
        var withPolicy = new RouteEndpoint(webhook.RequestDelegate!, webhook.RoutePattern, webhook.Order,
            new EndpointMetadataCollection([.. webhook.Metadata, new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(OwnerSchemes.Policy)]), webhook.DisplayName);

        Assert.True(AccessSetup.SkipsOwnerSchemes(webhook));
        Assert.False(AccessSetup.SkipsOwnerSchemes(withPolicy));
    }

    [Fact]
    public async Task WrongBasicCredentials_AreNotEvenCheckedOnAWebhook_ButStillAreElsewhere()
    {
        var wrongBasic = ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccessHub.Username}:not the password 51e0")));
        var onWebhook = Visitor.StrangerThroughProxy(hub.Factory.Server, "203.0.113.71");
        var onApi = Visitor.StrangerThroughProxy(hub.Factory.Server, "203.0.113.72");

        var webhook = await onWebhook.PostJsonAsync("/webhooks/stripe", "{}", wrongBasic);
        var api = await onApi.GetAsync("/api/stack", "application/json", wrongBasic);

        // The webhook answers as it always did: its own rules, unsigned.
        Assert.Equal(StatusCodes.Status400BadRequest, webhook.Status);
        Assert.Contains("missing Stripe-Signature header", webhook.Body, StringComparison.Ordinal);
        Assert.True(api.Denied);
        var logs = hub.Factory.Logs.Entries;
        Assert.DoesNotContain(logs, l => l.Contains("203.0.113.71", StringComparison.Ordinal) && l.Contains("refused", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("Basic credentials from 203.0.113.72 were refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheOwnerOnThisMachine_GetsTheSameWebhookAnswerAsAStranger()
    {
        var owner = await Visitor.OwnerOnThisMachine(hub.Factory.Server).PostJsonAsync("/webhooks/github", "{}");
        var stranger = await Visitor.StrangerThroughProxy(hub.Factory.Server, "203.0.113.73").PostJsonAsync("/webhooks/github", "{}");

        Assert.Equal((int)HttpStatusCode.ServiceUnavailable, owner.Status); // this hub has no GitHub secret
        Assert.Equal((owner.Status, WithoutTraceId(owner.Body)), (stranger.Status, WithoutTraceId(stranger.Body)));
    }

    /// <summary>A problem's body without its <c>traceId</c>, which names the request and differs for each.</summary>
    private static string WithoutTraceId(string body)
    {
        var problem = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        Assert.True(problem.Remove("traceId"), "the problem carries its request's trace id");
        return problem.ToJsonString();
    }
}
