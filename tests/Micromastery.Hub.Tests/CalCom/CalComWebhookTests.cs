using System.Net;
using System.Text.Json.Nodes;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.CalCom;

/// <summary>Every rule of POST /webhooks/calcom (the Stripe receiver's rule set), against both storage providers.</summary>
public abstract class CalComWebhookTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Slug = "calcom-tiers";
    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - slug: calcom-tiers
            name: Tiered Cal.com links
            layer: E
            started: 2026-11-20
            checks:
              - type: calcom.booking
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> PostAsync(string body, string? signature) =>
        signature is null
            ? hub.Client.PostWebhookAsync("calcom", body)
            : hub.Client.PostWebhookAsync("calcom", body, ("X-Cal-Signature-256", signature));

    private static string Booking(string trigger = "BOOKING_CREATED", string status = "ACCEPTED", string? uid = null)
    {
        var body = Payloads.Json("calcom", "booking_created.json");
        body["triggerEvent"] = trigger;
        body["payload"]!["status"] = status;
        body["payload"]!["uid"] = uid ?? "bFJeNb2uX8ANpT3JL5EfXw";
        return body.ToJsonString();
    }

    [Fact]
    public async Task BookingCreated_VerifiesWithTheBookingAsEvidence()
    {
        var body = Payloads.Text("calcom", "booking_created.json");

        var response = await PostAsync(body, TestSignatures.CalCom(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verified = await hub.Client.VerifiedAsync(Slug);
        var evidence = Assert.Single(verified.Evidence);
        Assert.Equal("bFJeNb2uX8ANpT3JL5EfXw", evidence.ExternalId);
        Assert.Equal("https://app.cal.com/booking/bFJeNb2uX8ANpT3JL5EfXw", evidence.Url);
    }

    [Fact]
    public async Task Redelivery_IsAcknowledgedAndStoredOnce()
    {
        var body = Booking();

        var first = await PostAsync(body, TestSignatures.CalCom(body));
        var second = await PostAsync(body, TestSignatures.CalCom(body));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("duplicate", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await hub.StoredCountAsync("calcom"));
    }

    [Fact]
    public async Task RescheduleOfTheSameBooking_IsAnotherDeliveryButOneEvidence()
    {
        var created = Booking();
        var rescheduled = Booking("BOOKING_RESCHEDULED");

        await PostAsync(created, TestSignatures.CalCom(created));
        await PostAsync(rescheduled, TestSignatures.CalCom(rescheduled));

        Assert.Equal(2, await hub.StoredCountAsync("calcom"));
        await hub.Client.VerifiedAsync(Slug);
        await hub.QuiesceAsync();
        Assert.Equal(1, await hub.EvidenceCountAsync(Slug));
    }

    [Theory]
    [InlineData("no-secret-provided")]
    [InlineData("347de9ee06e5a4132bbd5abc3d92f96fd565ad2b4e628f32ed4a6a49ed832f02")]
    [InlineData("sha256=abc")]
    public async Task BadSignature_Is400AndNothingStored(string signature)
    {
        var response = await PostAsync(Booking(), signature);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await hub.StoredCountAsync("calcom"));
    }

    [Fact]
    public async Task MissingSignature_Is400AndNothingStored()
    {
        var response = await PostAsync(Booking(), signature: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("X-Cal-Signature-256", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await hub.StoredCountAsync("calcom"));
    }

    [Fact]
    public async Task OversizedBody_Is413AndNothingStored()
    {
        var body = "{\"triggerEvent\":\"BOOKING_CREATED\",\"pad\":\"" + new string('x', WebhookEndpoints.MaxBodyBytes) + "\"}";

        var response = await PostAsync(body, TestSignatures.CalCom(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await hub.StoredCountAsync("calcom"));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"triggerEvent\":\"BOOKING_CREATED\"}")]
    public async Task MalformedJsonUnderAValidSignature_Is400AndNothingStored(string body)
    {
        var response = await PostAsync(body, TestSignatures.CalCom(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await hub.StoredCountAsync("calcom"));
    }

    [Fact]
    public async Task UnknownTrigger_IsStoredAndMarkedIgnored()
    {
        var body = Booking("MEETING_ENDED");

        var response = await PostAsync(body, TestSignatures.CalCom(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((int)InboxState.Ignored, (await hub.ProcessedAsync("calcom")).State);
        Assert.Equal(PayoffStates.Pending, (await hub.Client.MicromasteryAsync(Slug)).Payoff);
    }

    [Fact]
    public async Task RequestedBookingNotYetAccepted_DoesNotVerify()
    {
        var body = Booking("BOOKING_REQUESTED", "PENDING");

        await PostAsync(body, TestSignatures.CalCom(body));

        Assert.Equal((int)InboxState.Processed, (await hub.ProcessedAsync("calcom")).State);
        Assert.Equal(PayoffStates.Pending, (await hub.Client.MicromasteryAsync(Slug)).Payoff);
    }
}

[Collection(SqliteServicesCollection.Name)]
public sealed class CalComWebhookTests_Sqlite(SqliteServicesHub hub) : CalComWebhookTests(hub);

[Collection(PostgresServicesCollection.Name)]
public sealed class CalComWebhookTests_Postgres(PostgresServicesHub hub) : CalComWebhookTests(hub);
