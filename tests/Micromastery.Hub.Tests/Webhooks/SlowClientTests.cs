using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// Senders that vanish or stall mid-body, against real Kestrel (the in-memory test server has no
/// connections to drop): each is one information line without a stack trace, never an error.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class SlowClientTests
{
    private const string Head = "POST /webhooks/stripe HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nStripe-Signature: t=1,v1=00\r\nContent-Length: 4000\r\n\r\n{\"id\":\"evt_";

    [Fact]
    public async Task SendersThatDisconnectMidBody_AreLoggedQuietly()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var (factory, endpoint) = StartKestrel(hub);

        for (var i = 0; i < 20; i++)
        {
            using var socket = await ConnectAsync(endpoint);
            await socket.SendAsync(Encoding.ASCII.GetBytes(Head));
            socket.Close();
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(Quiet(factory).Count), n => n == 20, "each dropped sender to be logged");
        AssertNoErrors(factory);
    }

    [Fact]
    public async Task SendersThatStallMidBody_Get408AndAreLoggedQuietly()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var (factory, endpoint) = StartKestrel(hub);
        var sockets = new List<Socket>();
        for (var i = 0; i < 5; i++)
        {
            var socket = await ConnectAsync(endpoint);
            await socket.SendAsync(Encoding.ASCII.GetBytes(Head));
            sockets.Add(socket);
        }

        var statusLines = await Task.WhenAll(sockets.Select(ReadStatusLineAsync));

        Assert.All(statusLines, line => Assert.StartsWith("HTTP/1.1 408", line, StringComparison.Ordinal));
        await Eventually.ReturnsAsync(() => Task.FromResult(Quiet(factory).Count), n => n == 5, "each stalled sender to be logged");
        Assert.All(Quiet(factory), e => Assert.Contains("data arriving too slowly", e, StringComparison.Ordinal));
        AssertNoErrors(factory);
        sockets.ForEach(s => s.Dispose());
    }

    private static (HubFactory Factory, IPEndPoint Endpoint) StartKestrel(DedicatedHub hub)
    {
        var factory = hub.Start(new Dictionary<string, string?> { ["Logging:LogLevel:Micromastery.Hub.Webhooks"] = "Information" });
        factory.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            // Kestrel's own default is 240 bytes/s after 5 s; a shorter grace keeps the test short.
            options.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(2));
        });
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return (factory, new IPEndPoint(IPAddress.Loopback, address.Port));
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return socket;
    }

    private static async Task<string> ReadStatusLineAsync(Socket socket)
    {
        var buffer = new byte[256];
        var read = await socket.ReceiveAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
    }

    private static List<string> Quiet(HubFactory factory) =>
        factory.Logs.Entries.Where(e => e.Contains("stripe webhook sender went away or stalled", StringComparison.Ordinal)).ToList();

    private static void AssertNoErrors(HubFactory factory)
    {
        Assert.All(Quiet(factory), e => Assert.StartsWith("Information ", e, StringComparison.Ordinal));
        Assert.All(Quiet(factory), e => Assert.DoesNotContain("   at ", e, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Entries, e => e.StartsWith("Error ", StringComparison.Ordinal) || e.StartsWith("Critical ", StringComparison.Ordinal));
    }
}
