using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Dashboard;

/// <summary>The Hangfire dashboard and operator endpoints: local requests, or remote ones with credentials.</summary>
public sealed class OperatorAccessTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    private static Task<HttpContext> SendAsync(HubFactory factory, string method, string path, IPAddress remote, string? basicAuth = null) =>
        factory.Server.SendAsync(context =>
        {
            context.Request.Method = method;
            context.Request.Path = path;
            context.Connection.RemoteIpAddress = remote;
            context.Connection.LocalIpAddress = IPAddress.Parse("192.0.2.10");
            if (basicAuth is not null)
            {
                context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(basicAuth));
            }

            if (method == "POST")
            {
                context.Request.ContentType = "application/json";
                context.Request.Body = new MemoryStream("{\"note\":\"x\"}"u8.ToArray());
            }
        });

    [Fact]
    public async Task Dashboard_IsOpenToLocalRequestsAndClosedToAnonymousRemoteOnes()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start();

        var local = await SendAsync(factory, "GET", "/hangfire", IPAddress.Loopback);
        var remote = await SendAsync(factory, "GET", "/hangfire", Remote);

        Assert.Equal(StatusCodes.Status200OK, local.Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, remote.Response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_AcceptsRemoteOperatorsWithTheConfiguredCredentialsOnly()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(new Dictionary<string, string?> { ["Dashboard:Username"] = "ops", ["Dashboard:Password"] = "correct horse" });

        var right = await SendAsync(factory, "GET", "/hangfire", Remote, "ops:correct horse");
        var wrong = await SendAsync(factory, "GET", "/hangfire", Remote, "ops:battery staple");
        var none = await SendAsync(factory, "GET", "/hangfire", Remote);

        Assert.Equal(StatusCodes.Status200OK, right.Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, wrong.Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, none.Response.StatusCode);
        Assert.StartsWith("Basic", none.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorEndpoint_RefusesAnonymousRemoteCallers()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start();

        var remote = await SendAsync(factory, "POST", "/api/micromasteries/stripe-payment-link/evidence", Remote);
        var publicRead = await SendAsync(factory, "GET", "/api/stack", Remote);

        Assert.Equal(StatusCodes.Status403Forbidden, remote.Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, publicRead.Response.StatusCode);
    }
}
