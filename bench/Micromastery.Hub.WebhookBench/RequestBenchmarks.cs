using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Micromastery.Hub.WebhookBench;

/// <summary>
/// <c>POST /webhooks/{provider}</c> through the whole in-process hub: every middleware of the access model,
/// the endpoint (body read, verification, UTF-8 decode), the inbox writer's group commit and the JSON
/// answer; no socket (the in-process test server stands in for Kestrel, whose cost does not change here).
/// The requests come from this machine, as <c>wrk</c> does in <c>bench/webhook-load.sh</c>.
/// <para>
/// Each operation re-sends one of <see cref="Slots"/> distinct signed events; after the first round they are
/// duplicates, which go through the same path (verify, queue, commit, answer) but leave the SQLite file the
/// same size and queue no processing, so every iteration measures the same work. SQLite sits on
/// <c>/dev/shm</c> where there is one, so fsync is nearly free and the request path stands out.
/// </para>
/// </summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    /// <summary>Concurrent requests in a burst: as many as <c>wrk -c64</c> keeps open.</summary>
    public const int Slots = 64;

    private BenchHub _hub = null!;
    private TestServer _server = null!;
    private Delivery[] _deliveries = null!;
    private int _next;

    [Params("stripe", "github", "calcom")]
    public string Provider { get; set; } = "stripe";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _hub = new BenchHub();
        _server = _hub.Server;
        _deliveries = [.. Enumerable.Range(0, Slots).Select(n => Deliveries.Create(Provider, n))];
        foreach (var delivery in _deliveries)
        {
            await SendAsync(delivery); // stores each once; from now on they are duplicates
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _hub.DisposeAsync();

    /// <summary>One delivery at a time: each waits for its own commit.</summary>
    [Benchmark]
    public Task One() => SendAsync(_deliveries[_next++ % Slots]);

    /// <summary><see cref="Slots"/> deliveries at once, sharing group commits; reported per request.</summary>
    [Benchmark(OperationsPerInvoke = Slots)]
    public Task Burst() => Task.WhenAll(_deliveries.Select(SendAsync));

    private async Task SendAsync(Delivery delivery)
    {
        var context = await _server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/webhooks/" + delivery.Provider;
            c.Request.Host = new HostString("localhost", 5080);
            c.Connection.RemoteIpAddress = IPAddress.Loopback;
            c.Connection.LocalIpAddress = IPAddress.Loopback;
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = delivery.Body.Length;
            foreach (var (name, value) in delivery.Headers)
            {
                c.Request.Headers[name] = value;
            }

            c.Request.Body = new MemoryStream(delivery.Body, writable: false);
        });
        if (context.Response.StatusCode != StatusCodes.Status200OK)
        {
            throw new InvalidOperationException($"{delivery.Provider} delivery answered {context.Response.StatusCode}: {new StreamReader(context.Response.Body).ReadToEnd()}");
        }
    }
}

/// <summary>
/// The pipeline in front of the webhook endpoint alone — forwarded headers, security headers, routing, the
/// cross-site guard, the owner's authentication and authorization, antiforgery — and the endpoint's first
/// check: a Stripe delivery whose Content-Length is over the limit is answered 413 before its body is read,
/// so nothing is verified or stored and what remains is the per-request cost of the middleware.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private BenchHub _hub = null!;
    private TestServer _server = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hub = new BenchHub();
        _server = _hub.Server;
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _hub.DisposeAsync();

    [Benchmark]
    public async Task Oversized()
    {
        var context = await _server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/webhooks/stripe";
            c.Request.Host = new HostString("localhost", 5080);
            c.Connection.RemoteIpAddress = IPAddress.Loopback;
            c.Connection.LocalIpAddress = IPAddress.Loopback;
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = Micromastery.Hub.Webhooks.WebhookEndpoints.MaxBodyBytes + 1;
            c.Request.Headers["Stripe-Signature"] = "t=1,v1=00";
        });
        if (context.Response.StatusCode != StatusCodes.Status413PayloadTooLarge)
        {
            throw new InvalidOperationException($"answered {context.Response.StatusCode}");
        }
    }
}

/// <summary>The real hub in-process on SQLite, configured with the bench's webhook secrets.</summary>
internal sealed class BenchHub : WebApplicationFactory<Micromastery.Hub.Webhooks.InboxWriter> // any type of the hub assembly names its entry point
{
    private readonly string _directory = Directory.Exists("/dev/shm")
        ? Directory.CreateDirectory(Path.Combine("/dev/shm", "hub-webhookbench-" + Guid.NewGuid().ToString("N")[..8])).FullName
        : Directory.CreateTempSubdirectory("hub-webhookbench-").FullName;

    public BenchHub()
    {
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_MICROMASTERY_HUB", _directory);
        File.WriteAllText(Path.Combine(_directory, "stack.yml"), """
            timeZone: UTC
            micromasteries:
              - staple: stripe-payment-link
                started: 2026-11-20
                checks:
                  - type: stripe.test-payment
            """);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Storage:DataDirectory", Path.Combine(_directory, "data"));
        builder.UseSetting("Stack:Path", Path.Combine(_directory, "stack.yml"));
        builder.UseSetting("Stripe:WebhookSecret", Deliveries.Secrets["stripe"]);
        builder.UseSetting("GitHub:WebhookSecret", Deliveries.Secrets["github"]);
        builder.UseSetting("CalCom:WebhookSecret", Deliveries.Secrets["calcom"]);
        // The deliveries are signed once, at setup; a run lasts longer than Stripe's 300 s.
        builder.UseSetting("Stripe:ToleranceSeconds", "100000000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Polling:CatchUp", "false");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
