using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.CalCom;

/// <summary>A booking as an observation, the same from the API and from a webhook: the booking uid is the external id.</summary>
public static class CalComBookings
{
    public const string Source = "calcom";

    public static Observation Observation(string uid, string? status, long? eventTypeId, string? eventTypeSlug, DateTimeOffset observedAt) =>
        new(Source, CheckTypes.CalComBooking, uid, observedAt, $"https://app.cal.com/booking/{uid}",
            new Dictionary<string, string?>
            {
                ["status"] = status?.ToLowerInvariant(),
                ["eventTypeId"] = eventTypeId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["eventType"] = eventTypeSlug,
            });
}
