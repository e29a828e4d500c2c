using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.CalCom;

/// <summary>
/// How a Cal.com delivery (booking triggers) maps to evidence, as the inbox applies it, on the hub's services without a
/// host, against both storage providers. The Cal.com receipt itself (its de-duplication key) is in
/// <see cref="CalComWebhookReceiptTests"/>; the rules all receivers share are in <see cref="Webhooks.ReceiverRuleTests"/>.
/// </summary>
public abstract class CalComWebhookTests(StoreFixture store) : IAsyncLifetime
{
    private const string Slug = "calcom-tiers";
    internal const string Stack = """
        timeZone: UTC
        micromasteries:
          - slug: calcom-tiers
            name: Tiered Cal.com links
            layer: E
            started: 2026-11-20
            checks:
              - type: calcom.booking
        """;

    private HubServices _hub = null!;

    public async Task InitializeAsync() => _hub = await store.CreateAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<InboxOutcome> ApplyAsync(string body) =>
        _hub.ApplyWebhookAsync("calcom", System.Text.Json.Nodes.JsonNode.Parse(body)!["triggerEvent"]!.GetValue<string>(), body);

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
        await ApplyAsync(Payloads.Text("calcom", "booking_created.json"));

        var verified = await _hub.MicromasteryAsync(Slug, m => m.Payoff == PayoffStates.Verified, $"{Slug} to be verified");
        var evidence = Assert.Single(verified.Evidence);
        Assert.Equal("bFJeNb2uX8ANpT3JL5EfXw", evidence.ExternalId);
        Assert.Equal("https://app.cal.com/booking/bFJeNb2uX8ANpT3JL5EfXw", evidence.Url);
    }

    [Fact]
    public async Task RescheduleOfTheSameBooking_IsOneEvidence()
    {
        await ApplyAsync(Booking());
        await ApplyAsync(Booking("BOOKING_RESCHEDULED"));

        var verified = await _hub.MicromasteryAsync(Slug, m => m.Payoff == PayoffStates.Verified, $"{Slug} to be verified");
        Assert.Equal(1, verified.EvidenceCount);
    }

    [Fact]
    public async Task UnknownTrigger_IsIgnored()
    {
        var outcome = await ApplyAsync(Booking("MEETING_ENDED"));

        Assert.NotNull(outcome.IgnoredBecause);
        Assert.Empty(outcome.Observations);
        Assert.Equal(PayoffStates.Pending, (await _hub.MicromasteryAsync(Slug)).Payoff);
    }
}

public sealed class CalComWebhookTests_Sqlite(SqliteStore store) : CalComWebhookTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class CalComWebhookTests_Postgres(PostgresStore store) : CalComWebhookTests(store), IClassFixture<PostgresStore>;
