using System.Text.Json.Nodes;
using Micromastery.Hub.CalCom;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.CalCom;

/// <summary>Cal.com's verification and mapping, called directly on the recorded booking delivery.</summary>
public sealed class CalComWebhookSourceTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_RecordedDelivery_IsKeyedByTheHashOfItsBytes()
    {
        var delivery = WebhookDelivery.Realistic("calcom");

        var accepted = Assert.IsType<WebhookCheck.Accepted>(delivery.CheckedBy(TestWebhookSources.CalCom()));

        Assert.Equal("BOOKING_CREATED", accepted.EventType);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(delivery.Bytes)), accepted.EventId);
    }

    [Fact]
    public void Verify_SameBookingSentTwice_HasOneKey()
    {
        var source = TestWebhookSources.CalCom();

        var first = Assert.IsType<WebhookCheck.Accepted>(WebhookDelivery.Realistic("calcom").CheckedBy(source));
        var second = Assert.IsType<WebhookCheck.Accepted>(WebhookDelivery.Realistic("calcom").CheckedBy(source));

        Assert.Equal(first.EventId, second.EventId);
    }

    [Fact]
    public void Map_RecordedBooking_IsOneAcceptedBookingUnderItsUid()
    {
        var booking = Assert.Single(Map(Delivery()).Observations);

        Assert.Equal(CalComBookingCheck.Name, booking.Kind);
        Assert.Equal("bFJeNb2uX8ANpT3JL5EfXw", booking.ExternalId);
        Assert.Equal("accepted", booking.Fact("status"));
        Assert.Equal("7", booking.Fact("eventTypeId"));
        Assert.Equal("60min", booking.Fact("eventType"));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 30, 0, 538, TimeSpan.Zero), booking.ObservedAt);
    }

    [Theory]
    [InlineData("BOOKING_CREATED", true)]
    [InlineData("BOOKING_RESCHEDULED", true)]
    [InlineData("BOOKING_PAID", true)]
    [InlineData("BOOKING_REQUESTED", true)]
    [InlineData("BOOKING_REJECTED", false)]
    [InlineData("MEETING_ENDED", false)]
    [InlineData("FORM_SUBMITTED", false)]
    public void Map_Trigger_IsABookingOnlyForBookingTriggers(string trigger, bool booking)
    {
        var json = Delivery();
        json["triggerEvent"] = trigger;

        var outcome = Map(json);

        Assert.Equal(booking ? 1 : 0, outcome.Observations.Count);
        Assert.Equal(booking ? null : $"trigger '{trigger}' proves no payoff", outcome.IgnoredBecause);
    }

    [Fact]
    public void Map_PayloadWithoutUid_IsIgnored()
    {
        var json = Delivery();
        json["payload"]!.AsObject().Remove("uid");

        Assert.Equal("booking payload has no uid", Map(json).IgnoredBecause);
    }

    [Fact]
    public void Map_UnreadableCreatedAt_IsDatedWhenReceived()
    {
        var json = Delivery();
        json["createdAt"] = "yesterday-ish";

        Assert.Equal(ReceivedAt, Assert.Single(Map(json).Observations).ObservedAt);
    }

    [Fact]
    public void Map_BookingCancelled_RevokesThatBookingAsGone()
    {
        var json = Delivery();
        json["triggerEvent"] = "BOOKING_CANCELLED";
        json["payload"]!["status"] = "CANCELLED";

        var outcome = Map(json);

        Assert.Empty(outcome.Observations);
        var recheck = Assert.Single(outcome.Rechecks!);
        Assert.Equal(("calcom", "bFJeNb2uX8ANpT3JL5EfXw", Hub.Payoffs.RecheckStates.Gone), (recheck.Source, recheck.ExternalId, recheck.State));
    }

    private static JsonObject Delivery() => Payloads.Json("calcom", "booking_created.json");

    private static InboxOutcome Map(JsonObject json) =>
        TestWebhookSources.CalCom().Map(new StoredEvent(1, CalComWebhookSource.Name, "hash", json["triggerEvent"]!.GetValue<string>(), json.ToJsonString(), ReceivedAt));
}
