using System.Net;
using System.Text.Json.Nodes;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.CalCom;

/// <summary>
/// What only POST /webhooks/calcom does over HTTP, against both storage providers: Cal.com sends no delivery id, so
/// the body's hash is the key. How a delivery maps to evidence is in <see cref="CalComWebhookTests"/>; the rules all
/// receivers share are in <see cref="Webhooks.ReceiverRuleTests"/>.
/// </summary>
public abstract class CalComWebhookReceiptTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Slug = "calcom-tiers";
    private const string Stack = CalComWebhookTests.Stack;

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

    [Fact]
    public async Task UnknownTrigger_IsStoredAndMarkedIgnored()
    {
        var body = Booking("MEETING_ENDED");

        var response = await PostAsync(body, TestSignatures.CalCom(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((int)InboxState.Ignored, (await hub.ProcessedAsync("calcom")).State);
        Assert.Equal(PayoffStates.Pending, (await hub.Client.MicromasteryAsync(Slug)).Payoff);
    }
}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class CalComWebhookReceiptTests_Sqlite(SqliteServicesHub hub) : CalComWebhookReceiptTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class CalComWebhookReceiptTests_Postgres(PostgresServicesHub hub) : CalComWebhookReceiptTests(hub);
