using System.Net;
using System.Net.Sockets;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>A loopback port nothing listens on right now, for servers the tests start.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
