using System.Globalization;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.CalCom;

/// <summary><c>calcom.booking</c>: someone booked a meeting (an accepted booking exists).</summary>
internal sealed class CalComBookingCheck(CalComApi api, TimeProvider clock) : IRecheckableCheckType
{
    /// <summary>The type's name in the stack file.</summary>
    public const string Name = "calcom.booking";

    public string Type => Name;

    public string HowVerified(CheckSpec check) => "a meeting booked by someone, reported by Cal.com";

    public string EvidenceTitle => "Meeting booked (Cal.com)";

    public string Description => "A Cal.com booking was made and accepted (optionally of one event type).";

    public string DefaultSchedule => "0 * * * *";

    public IReadOnlyList<CheckParameter> Parameters { get; } =
        [new("eventType", Required: false, "Only bookings of this event type (slug or numeric id).")];

    public async Task<IReadOnlyList<Observation>> PollAsync(Stack.Micromastery micromastery, CheckSpec check, CancellationToken cancellationToken)
    {
        using var document = await api.BookingsAsync(cancellationToken);
        return CalComBookings.FromApi(document, clock.GetUtcNow());
    }

    public async Task<Recheck> RecheckAsync(CheckSpec check, Observation observation, CancellationToken cancellationToken)
    {
        using var document = await api.BookingAsync(observation.ExternalId, cancellationToken);
        var status = document?.RootElement.TryGetProperty("data", out var booking) == true && booking.ValueKind == System.Text.Json.JsonValueKind.Object
            ? booking.Str("status")?.ToLowerInvariant()
            : null;
        return document is null ? Reconfirmer.Answer(observation, RecheckStates.Gone, "Cal.com has no such booking")
            : status == "accepted" ? Reconfirmer.Answer(observation, RecheckStates.Confirmed, null)
            : Reconfirmer.Answer(observation, RecheckStates.Gone, $"booking is {status ?? "without a status"}");
    }

    public bool Satisfies(CheckSpec check, Observation observation) =>
        observation.Kind == CalComBookingCheck.Name
        && observation.Fact("status") == "accepted"
        && (check.Get("eventType") is not { } type || observation.Fact("eventType") == type || observation.Fact("eventTypeId") == type);

    public string ContextNoun => "event type";

    public string? ContextOf(Observation observation) => observation.Fact("eventType") ?? observation.Fact("eventTypeId");

    public bool WebhooksCanSatisfy => true;
}
