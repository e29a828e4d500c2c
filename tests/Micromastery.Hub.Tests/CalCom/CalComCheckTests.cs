using System.Text.Json;
using Micromastery.Hub.CalCom;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.CalCom;

/// <summary>The Cal.com check types' evaluation and the parsing of recorded API answers, without a host.</summary>
public sealed class CalComCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly CalComBookingCheck Booking = new(api: null!, TimeProvider.System);
    private static readonly CalComEventTypesCheck EventTypes = new(api: null!, TimeProvider.System);

    [Fact]
    public void FromApi_RecordedBookings_AreBookingsUnderTheirUids()
    {
        var bookings = RecordedBookings();

        Assert.Equal(["bFJeNb2uX8ANpT3JL5EfXw", "c7PzXq2vR9mBtL4kW8yNdE"], bookings.Select(b => b.ExternalId));
        Assert.Equal(["accepted", "cancelled"], bookings.Select(b => b.Fact("status")));
        Assert.Equal(["60min", "15min"], bookings.Select(b => b.Fact("eventType")));
        Assert.All(bookings, b => Assert.Null(b.Problem()));
    }

    [Theory]
    [InlineData("", "bFJeNb2uX8ANpT3JL5EfXw", true)]
    [InlineData("eventType=60min", "bFJeNb2uX8ANpT3JL5EfXw", true)]
    [InlineData("eventType=7", "bFJeNb2uX8ANpT3JL5EfXw", true)]
    [InlineData("eventType=15min", "bFJeNb2uX8ANpT3JL5EfXw", false)]
    [InlineData("", "c7PzXq2vR9mBtL4kW8yNdE", false)]
    [InlineData("eventType=15min", "c7PzXq2vR9mBtL4kW8yNdE", false)]
    public void Booking_Satisfies_AnAcceptedBookingOfTheEventType(string parameter, string uid, bool expected)
    {
        var booking = RecordedBookings().Single(b => b.ExternalId == uid);

        Assert.Equal(expected, Booking.Satisfies(Checks.Spec(CalComBookingCheck.Name, parameter.Length == 0 ? [] : [parameter]), booking));
    }

    [Fact]
    public void Booking_Satisfies_NotByARequestedBookingNotYetAccepted()
    {
        var requested = CalComBookings.Observation("req_1", "PENDING", 7, "60min", Now);

        Assert.False(Booking.Satisfies(Checks.Spec(CalComBookingCheck.Name), requested));
    }

    [Theory]
    [InlineData("15:free,30:paid", "15:free,30:paid", true)]
    [InlineData("15:free,30:paid", "30:paid,15:free,60:paid", true)]
    [InlineData("15,30", "15:paid,30:free", true)]
    [InlineData("15:free,30:paid", "15:free,30:free", false)]
    [InlineData("15:free,30:paid", "15:free", false)]
    [InlineData("15:free", "", false)]
    public void EventTypes_Satisfies_WhenEveryTierExists(string required, string available, bool expected)
    {
        var seen = new Observation(CalComBookings.Source, CalComEventTypesCheck.Name, "event-types:1", Now, null, new Dictionary<string, string?> { ["tiers"] = available });

        Assert.Equal(expected, EventTypes.Satisfies(Checks.Spec(CalComEventTypesCheck.Name, $"tiers={required}"), seen));
    }

    [Theory]
    [InlineData("15:free,30:paid,60", "15:False,30:True,60:")]
    [InlineData(" 15 , 30:paid ", "15:,30:True")]
    [InlineData("15:maybe", null)]
    [InlineData("0:free", null)]
    [InlineData("15:free:extra", null)]
    [InlineData("", null)]
    [InlineData("abc", null)]
    public void ParseTiers_ReadsMinutesAndFreeOrPaid(string value, string? expected)
    {
        var tiers = CalComEventTypesCheck.ParseTiers(value);

        Assert.Equal(expected, tiers is null ? null : string.Join(',', tiers.Select(t => $"{t.Minutes}:{t.Paid}")));
    }

    [Theory]
    [InlineData("30min-paid", true, "stripe 5000 usd")] // as Cal.com stores a Stripe-paid type: price only in the payment app's data
    [InlineData("15min", false, "free")]
    [InlineData("60min", false, "free: price 5000 usd but no enabled payment app")] // Stripe turned off: the price column keeps the old price
    public void Price_IsTheEnabledPaymentAppsPrice_AsCalComDecidesIt(string slug, bool paid, string seen)
    {
        using var document = JsonDocument.Parse(Payloads.Text("calcom", "event-types.json"));
        var eventType = document.RootElement.GetProperty("data").EnumerateArray().Single(t => t.GetProperty("slug").GetString() == slug);

        var price = CalComEventTypePrice.Of(eventType);

        Assert.Equal(new CalComEventTypePrice(paid, seen), price);
    }

    private static IReadOnlyList<Observation> RecordedBookings()
    {
        using var document = JsonDocument.Parse(Payloads.Text("calcom", "bookings.json"));
        return CalComBookings.FromApi(document, Now);
    }
}
