using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>
/// Every endpoint the hub maps — its API, pages, sign-in and every route of the Hangfire dashboard — asked
/// by a stranger whom a reverse proxy on the same host relays. Only the public list may answer; an endpoint
/// added later without a thought about access fails here.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed partial class EndpointWalkTests
{
    /// <summary>The public list apart from webhooks: those are one per registered provider that receives them (<see cref="PublicEndpoints"/>).</summary>
    private static readonly string[] FixedPublicEndpoints =
    [
        "GET /health", "HEAD /health", "GET /health/ready", "HEAD /health/ready", "GET /login", "POST /login", "GET /favicon.ico",
        "GET /public", "GET /public/{slug}", "GET /public/feed.xml", "GET /badges/{slug}.svg", "GET /badges/{slug}.json", "GET /badges/stack.svg",
    ];

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task EveryEndpoint_DeniesAStrangerBehindASameHostProxy_UnlessItIsOnThePublicList(StorageProvider provider)
    {
        await using var hub = await DedicatedHub.CreateAsync(provider);
        var factory = hub.Start(AccessHub.Settings);
        var stranger = Visitor.StrangerThroughProxy(factory.Server);
        var requests = Requests(factory.Services).ToList();
        var publicEndpoints = PublicEndpoints(factory.Services);

        var wrong = new List<string>();
        foreach (var (method, path, name) in requests)
        {
            var answer = await stranger.SendAsync(method, path, "application/json", "application/json", method == "POST" ? "{}" : null);
            var isPublic = publicEndpoints.Contains(name);
            if (answer.Denied == isPublic)
            {
                wrong.Add($"{method} {path} ({name}): {answer.Status}, expected {(isPublic ? "public" : "denied")}");
            }
        }

        Assert.True(requests.Count > 40, $"only {requests.Count} requests walked: the walk lost the dashboard's routes");
        Assert.Empty(wrong);
        Assert.Equal(publicEndpoints.Order(), requests.Select(r => r.Name).Where(publicEndpoints.Contains).Distinct().Order());
    }

    /// <summary>The fixed public list and <c>POST</c> on every registered provider's webhook path.</summary>
    private static string[] PublicEndpoints(IServiceProvider services)
    {
        var webhooks = services.GetServices<Micromastery.Hub.Providers.IProvider>().Select(p => p.WebhookPath).OfType<string>().Select(path => $"POST {path}").ToList();
        Assert.True(webhooks.Count >= 3, $"only {webhooks.Count} providers receive webhooks: the registration lost some");
        return [.. FixedPublicEndpoints, .. webhooks];
    }

    [Fact]
    public async Task EveryEndpoint_AnswersTheOwnerOnThisMachine()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(AccessHub.Settings);
        var owner = Visitor.OwnerOnThisMachine(factory.Server);
        var dashboard = await owner.GetAsync("/hangfire", "text/html");
        var antiforgery = (Meta(dashboard.Body, "csrf-header"), Meta(dashboard.Body, "csrf-token"));

        var denied = new List<string>();
        foreach (var (method, path, name) in Requests(factory.Services))
        {
            Answer answer;
            try
            {
                answer = await owner.SendAsync(method, path, "application/json", "application/x-www-form-urlencoded", method == "POST" ? "x=1" : null, antiforgery);
            }
            catch (InvalidOperationException)
            {
                // Thrown inside the handler (Hangfire's /stats reads a form even on GET): past the access check.
                continue;
            }

            if (answer.Denied)
            {
                denied.Add($"{method} {path} ({name}): {answer.Status} {answer.Body}");
            }
        }

        Assert.Equal(StatusCodes.Status200OK, dashboard.Status);
        Assert.Empty(denied);
    }

    /// <summary>One concrete request per endpoint and method; the dashboard's catch-all is expanded into Hangfire's own routes.</summary>
    internal static IEnumerable<(string Method, string Path, string Name)> Requests(IServiceProvider services)
    {
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            if (pattern.Contains("{**", StringComparison.Ordinal) || pattern.Contains("{*", StringComparison.Ordinal))
            {
                var prefix = pattern[..pattern.IndexOf('{', StringComparison.Ordinal)].TrimEnd('/');
                foreach (var route in DashboardRoutePaths())
                {
                    foreach (var method in methods)
                    {
                        yield return (method, prefix + route, $"{method} {prefix}{route}");
                    }
                }

                continue;
            }

            var path = "/" + Parameter().Replace(pattern.TrimStart('/'), m => m.Groups[1].Value == "slug" ? "stripe-payment-link" : "1");
            foreach (var method in methods)
            {
                yield return (method, path, $"{method} /{pattern.TrimStart('/')}");
            }
        }
    }

    /// <summary>A path for every route Hangfire's dashboard dispatches (its route table is not public API, hence reflection).</summary>
    private static IEnumerable<string> DashboardRoutePaths()
    {
        var field = typeof(Hangfire.Dashboard.RouteCollection).GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
            .Single(f => typeof(IEnumerable).IsAssignableFrom(f.FieldType));
        var routes = ((IEnumerable)field.GetValue(DashboardRoutes.Routes)!).Cast<object>()
            .Select(r => (string)r.GetType().GetProperty("Item1")!.GetValue(r)!).ToList();
        Assert.True(routes.Count > 20, "Hangfire's route table was not found");
        yield return "";
        foreach (var template in routes)
        {
            var path = NamedGroup().Replace(template, "1").Replace("[0-9]+", "1", StringComparison.Ordinal);
            Assert.Matches("^" + template + "$", path);
            yield return path;
        }
    }

    /// <summary>What Hangfire's page gives its own scripts: the antiforgery header's name and its token.</summary>
    internal static string Meta(string html, string name)
    {
        var match = Regex.Match(html, $"<meta name=\"{name}\" content=\"([^\"]*)\"");
        Assert.True(match.Success, $"the dashboard page has no {name}: Hangfire's antiforgery is off");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"\{([a-zA-Z]+)[^}]*\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\(\?<\w+>[^)]*\)")]
    private static partial Regex NamedGroup();
}
