using Micromastery.Hub.Payoffs;
using Microsoft.AspNetCore.Http;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Micromastery.Hub.Tests.LandingPage;

/// <summary>http.page over real TLS: trusted, untrusted and soon-expiring certificates, redirects, text, faults.</summary>
[Collection(StandInsCollection.Name)]
public sealed class HttpPageTests(ServiceStandIns hub)
{
    private static string Stack(string url, string? text = null) => $$"""
        timeZone: UTC
        micromasteries:
          - slug: landing
            name: Landing page
            layer: D
            started: 2026-11-20
            checks:
              - type: http.page
                url: {{url}}
        {{(text is null ? "" : $"        text: {text}")}}
        """;

    private Task<CheckRunResult?> PollAsync() => hub.RunCheckAsync("landing", "http.page");

    [Fact]
    public async Task TrustedPageWithTheText_HoldsAndReportsTheRedirect()
    {
        await using var site = await TlsSite.StartAsync(hub.Certificates.Valid, "<h1>Ship micromasteries</h1>");
        await hub.ResetServicesAsync(Stack($"{hub.Web.Url}/go", "Ship micromasteries"));
        hub.Web.Given(Request.Create().WithPath("/go").UsingGet()).RespondWith(Response.Create().WithStatusCode(301).WithHeader("Location", site.Url + "/"));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Holds, result!.State);
        var evidence = Assert.Single((await hub.MicromasteryAsync("landing")).Evidence);
        Assert.Equal(site.Url + "/", evidence.Url);
    }

    [Fact]
    public async Task MissingText_IsPendingWithTheReason()
    {
        await using var site = await TlsSite.StartAsync(hub.Certificates.Valid, "<h1>Coming soon</h1>");
        await hub.ResetServicesAsync(Stack(site.Url + "/", "Ship micromasteries"));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Pending, result!.State);
        Assert.Contains("does not contain", result.Message);
    }

    [Fact]
    public async Task SelfSignedCertificate_IsNotAHold()
    {
        await using var site = await TlsSite.StartAsync(hub.Certificates.SelfSigned, "<h1>Ship micromasteries</h1>");
        await hub.ResetServicesAsync(Stack(site.Url + "/"));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Pending, result!.State);
        Assert.Contains("not trusted", result.Message);
        Assert.Equal(0, await hub.EvidenceCountAsync("landing"));
    }

    [Fact]
    public async Task WireMockOverHttpsWithAnUntrustedCertificate_IsNotAHold()
    {
        using var https = WireMockServer.Start(new WireMockServerSettings
        {
            UseSSL = true,
            CertificateSettings = new WireMockCertificateSettings { X509Certificate = hub.Certificates.SelfSigned },
        });
        https.Given(Request.Create().WithPath("/").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("hello"));
        await hub.ResetServicesAsync(Stack(https.Url + "/"));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Pending, result!.State);
        Assert.Equal(0, await hub.EvidenceCountAsync("landing"));
    }

    [Fact]
    public async Task CertificateExpiringSoon_IsPending()
    {
        await using var site = await TlsSite.StartAsync(hub.Certificates.ExpiringSoon, "<h1>Ship micromasteries</h1>");
        await hub.ResetServicesAsync(Stack(site.Url + "/"));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Pending, result!.State);
        Assert.Contains("expires", result.Message);
    }

    [Fact]
    public async Task PlainHttpPage_IsPending()
    {
        await hub.ResetServicesAsync(Stack(hub.Web.Url + "/plain"));
        hub.Web.Given(Request.Create().WithPath("/plain").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("hi"));

        var result = await PollAsync();

        Assert.Equal(CheckStates.Pending, result!.State);
        Assert.Contains("https", result.Message);
    }

    [Fact]
    public async Task ServerErrorAndTimeout_OverValidTls_AreUnknown()
    {
        // Over valid TLS every other test of the page passes, so only the 5xx rule and the timeout stand between these and a hold.
        await using var down = await TlsSite.StartAsync(hub.Certificates.Valid, "<h1>Ship micromasteries</h1>", StatusCodes.Status503ServiceUnavailable);
        await using var slow = await TlsSite.StartAsync(hub.Certificates.Valid, "<h1>Ship micromasteries</h1>", delay: TimeSpan.FromSeconds(4));

        await hub.ResetServicesAsync(Stack(down.Url + "/"));
        var downResult = await PollAsync();
        await hub.ResetServicesAsync(Stack(slow.Url + "/"), ServiceStandIns.ShortAttempts);
        var slowResult = await PollAsync();

        Assert.Equal(CheckStates.Unknown, downResult!.State);
        Assert.Contains("answered 503", downResult.Message);
        Assert.Equal(CheckStates.Unknown, slowResult!.State);
        Assert.Equal(0, await hub.EvidenceCountAsync("landing"));
    }

    [Fact]
    public async Task ServerErrorAndTimeout_OverPlainHttp_AreUnknown_NotPending()
    {
        await hub.ResetServicesAsync(Stack(hub.Web.Url + "/down"), ServiceStandIns.ShortAttempts);
        hub.Web.Given(Request.Create().WithPath("/down").UsingGet()).RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "1"));

        var down = await PollAsync();
        hub.Web.Reset();
        hub.Web.Given(Request.Create().WithPath("/down").UsingGet()).RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(4)).WithStatusCode(200));
        var slow = await PollAsync();

        Assert.Equal(CheckStates.Unknown, down!.State);
        Assert.Equal(CheckStates.Unknown, slow!.State);
    }
}
