using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.CalCom;

/// <summary>calcom.event-types and calcom.booking against an api.cal.com stand-in (API v2 shapes).</summary>
[Collection(StandInsCollection.Name)]
public sealed class CalComPollTests(ServiceStandIns hub) : IAsyncLifetime
{
    private const string Slug = "meetings";

    private static string Stack(string tiers) => $$"""
        timeZone: UTC
        micromasteries:
          - slug: meetings
            name: Tiered meeting links
            layer: E
            started: 2026-11-20
            checks:
              - type: calcom.event-types
                tiers: {{tiers}}
              - type: calcom.booking
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack("15:free,30:paid"));

    public Task DisposeAsync() => Task.CompletedTask;

    private void Serve(string path, string version, string body, int status = 200) =>
        hub.CalCom.Given(Request.Create().WithPath(path).UsingGet().WithHeader("cal-api-version", version).WithHeader("Authorization", "Bearer cal_test_0123456789"))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    [Fact]
    public async Task RequiredTiersExist_Holds()
    {
        Serve("/v2/event-types", "2024-06-14", Payloads.Text("calcom", "event-types.json"));

        var result = await hub.RunCheckAsync(Slug, "calcom.event-types");

        Assert.Equal(CheckStates.Holds, result!.State);
        Assert.Equal("https://cal.com/pro/60min", Assert.Single((await hub.MicromasteryAsync(Slug)).Evidence).Url);
    }

    [Fact]
    public async Task AnOldPriceWithThePaymentAppTurnedOff_IsNoPaidTier_AndTheMessageSaysWhichPriceItSaw()
    {
        await hub.ResetServicesAsync(Stack("60:paid"));
        Serve("/v2/event-types", "2024-06-14", Payloads.Text("calcom", "event-types.json"));

        var result = await hub.RunCheckAsync(Slug, "calcom.event-types");

        Assert.Equal(CheckStates.Pending, result!.State);
        Assert.Contains("60min (60 min): free: price 5000 usd but no enabled payment app", result.Message);
        Assert.Contains("30min-paid (30 min): stripe 5000 usd", result.Message);
    }

    [Fact]
    public async Task MissingTier_IsPending()
    {
        await hub.ResetServicesAsync(Stack("15:free,60:paid"));
        Serve("/v2/event-types", "2024-06-14", Payloads.Text("calcom", "event-types.json"));

        var result = await hub.RunCheckAsync(Slug, "calcom.event-types");

        Assert.Equal(CheckStates.Pending, result!.State);
    }

    [Fact]
    public async Task AcceptedBooking_HoldsAndBothChecksVerifyThePayoff()
    {
        Serve("/v2/event-types", "2024-06-14", Payloads.Text("calcom", "event-types.json"));
        Serve("/v2/bookings", "2024-08-13", Payloads.Text("calcom", "bookings.json"));

        await hub.RunCheckAsync(Slug, "calcom.event-types");
        var result = await hub.RunCheckAsync(Slug, "calcom.booking");

        Assert.Equal(CheckStates.Holds, result!.State);
        var m = await hub.MicromasteryAsync(Slug);
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.Contains(m.Evidence, e => e.Url == "https://app.cal.com/booking/bFJeNb2uX8ANpT3JL5EfXw");
        Assert.DoesNotContain(m.Evidence, e => e.ExternalId == "c7PzXq2vR9mBtL4kW8yNdE");
    }

    [Fact]
    public async Task ServiceUnavailable_IsRetriedOnceThenUnknown()
    {
        Serve("/v2/bookings", "2024-08-13", """{"status":"error","error":{"code":"INTERNAL_SERVER_ERROR","message":"Service unavailable"}}""", 503);

        var result = await hub.RunCheckAsync(Slug, "calcom.booking");

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(2, hub.Requests(hub.CalCom).Count());
    }

    [Fact]
    public async Task TooManyRequestsWithRetryAfter_IsUnknownWithThatDelay()
    {
        hub.CalCom.Given(Request.Create().WithPath("/v2/event-types").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "60").WithBody("""{"status":"error","error":{"code":"TooManyRequestsException","message":"Too many requests"}}"""));

        var result = await hub.RunCheckAsync(Slug, "calcom.event-types");

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(TimeSpan.FromSeconds(60), result.Failure!.RetryAfter);
    }

    [Fact]
    public async Task Timeout_IsUnknown()
    {
        await hub.ResetServicesAsync(Stack("15:free,30:paid"), ServiceStandIns.ShortAttempts);
        hub.CalCom.Given(Request.Create().WithPath("/v2/bookings").UsingGet())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(4)).WithStatusCode(200).WithBody(Payloads.Text("calcom", "bookings.json")));

        var result = await hub.RunCheckAsync(Slug, "calcom.booking");

        Assert.Equal(CheckStates.Unknown, result!.State);
        Assert.Equal(0, await hub.EvidenceCountAsync(Slug));
    }

    [Fact]
    public async Task RejectedKey_IsNotConfigured()
    {
        Serve("/v2/bookings", "2024-08-13", """{"status":"error","error":{"code":"UnauthorizedException","message":"Invalid API key"}}""", 401);

        var result = await hub.RunCheckAsync(Slug, "calcom.booking");

        Assert.Equal(CheckStates.NotConfigured, result!.State);
        Assert.Contains("CalCom:ApiKey", result.Message);
    }
}
