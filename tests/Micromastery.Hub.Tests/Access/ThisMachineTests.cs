using Microsoft.AspNetCore.Http;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>
/// "This machine" is loopback with no proxy in between. A same-host reverse proxy connects from loopback too,
/// so any header a proxy adds when it relays someone else's request makes the request a stranger's — whatever
/// address it names, loopback included, and even when the forwarded-headers middleware has consumed it.
/// </summary>
[Collection(AccessCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class ThisMachineTests(AccessHub hub)
{
    /// <summary>A page, an API endpoint and the Hangfire dashboard: the three kinds of owner-only endpoint.</summary>
    private static readonly (string Path, string Accept)[] Endpoints = [("/", "text/html"), ("/api/stack", "application/json"), ("/hangfire", "text/html")];

    public static TheoryData<string, string> OwnerOnly()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, accept) in Endpoints)
        {
            data.Add(path, accept);
        }

        return data;
    }

    public static TheoryData<string, string, string, string> RelayedRequests()
    {
        (string Name, string Value)[] headers =
        [
            ("X-Forwarded-For", "203.0.113.70"),
            ("X-Forwarded-For", "127.0.0.1"),
            ("X-Forwarded-For", "::1"),
            ("X-Forwarded-For", "127.0.0.1, 127.0.0.1"),
            ("Forwarded", "for=203.0.113.70;proto=https"),
            ("Forwarded", "for=127.0.0.1"),
            ("X-Real-IP", "203.0.113.70"),
            ("X-Real-IP", "127.0.0.1"),
            ("X-Forwarded-Host", "hub.example.com"),
            ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-Proto", "http"),
            ("Via", "1.1 caddy"),
        ];
        var data = new TheoryData<string, string, string, string>();
        foreach (var (name, value) in headers)
        {
            foreach (var (path, accept) in Endpoints)
            {
                data.Add(name, value, path, accept);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OwnerOnly))]
    public async Task Loopback_WithoutForwardingHeaders_IsTheOwner(string path, string accept)
    {
        var answer = await Visitor.OwnerOnThisMachine(hub.Factory.Server).GetAsync(path, accept);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
    }

    [Theory]
    [MemberData(nameof(RelayedRequests))]
    public async Task Loopback_WithAnyForwardingHeader_IsNeverThisMachine(string header, string value, string path, string accept)
    {
        var visitor = Visitor.OwnerOnThisMachine(hub.Factory.Server);

        var answer = await visitor.GetAsync(path, accept, (header, value));

        Assert.True(answer.Denied, $"{header}: {value} on {path} answered {answer.Status}, expected the owner check to refuse it");
    }
}
