using System.Globalization;
using System.Text.Json;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.CalCom;

/// <summary>A booking as an observation, the same from the API and from a webhook: the booking uid is the external id.</summary>
internal static class CalComBookings
{
    public const string Source = "calcom";

    public static Observation Observation(string uid, string? status, long? eventTypeId, string? eventTypeSlug, DateTimeOffset observedAt) =>
        new(Source, CalComBookingCheck.Name, uid, observedAt, $"https://app.cal.com/booking/{uid}",
            new Dictionary<string, string?>
            {
                ["status"] = status?.ToLowerInvariant(),
                ["eventTypeId"] = eventTypeId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["eventType"] = eventTypeSlug,
            });

    /// <summary>The bookings of a <c>GET /v2/bookings</c> answer; a booking without a creation time is dated <paramref name="now"/>.</summary>
    public static IReadOnlyList<Observation> FromApi(JsonDocument document, DateTimeOffset now) =>
        document.DataArray()
            .Where(b => b.Str("uid") is { Length: > 0 })
            .Select(b => Observation(b.Str("uid")!, b.Str("status"), b.Long("eventTypeId"),
                b.TryGetProperty("eventType", out var type) ? type.Str("slug") : null,
                DateTimeOffset.TryParse(b.Str("createdAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : now))
            .ToList();
}
