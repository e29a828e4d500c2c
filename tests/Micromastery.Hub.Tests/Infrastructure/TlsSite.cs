using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>A landing page over real TLS on a loopback port (WireMock's built-in certificate cannot be chosen per test).</summary>
// A stand-in landing page on Kestrel, not a hub.
[Starts(Needs.Nothing)]
public sealed class TlsSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsSite(WebApplication app, int port)
    {
        _app = app;
        Url = $"https://localhost:{port}";
    }

    public string Url { get; }

    /// <summary>Serves <paramref name="html"/> at <c>/</c> with <paramref name="status"/>, after <paramref name="delay"/> if given.</summary>
    public static async Task<TlsSite> StartAsync(X509Certificate2 certificate, string html, int status = StatusCodes.Status200OK, TimeSpan delay = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet("/", async (CancellationToken aborted) =>
        {
            await Task.Delay(delay, aborted);
            return Results.Content(html, "text/html", statusCode: status);
        });
        await app.StartAsync();
        var address = app.Urls.First();
        return new TlsSite(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
