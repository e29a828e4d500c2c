using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>A feed host with a published issue and a stack whose one check reads it: a check that needs no credentials.</summary>
public static class NewsletterFeed
{
    public static WireMockServer Start()
    {
        var host = WireMockServer.Start();
        host.Given(Request.Create().WithPath("/feed").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/rss+xml")
                .WithBody(Payloads.Text("web", "substack-feed.xml")));
        return host;
    }

    public static string Stack(WireMockServer host, string schedule, string timeZone = "UTC") => $"""
        timeZone: {timeZone}
        micromasteries:
          - slug: newsletter
            name: First newsletter issue
            layer: B
            started: 2026-11-20
            checks:
              - type: newsletter.published
                feed: {host.Url}/feed
                schedule: "{schedule}"
        """;
}
