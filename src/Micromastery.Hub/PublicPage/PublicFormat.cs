using System.Globalization;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.PublicPage;

/// <summary>Dates, times and states as the public pages and the feed write them (UTC, invariant culture).</summary>
internal static class PublicFormat
{
    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string State(string payoff) => payoff switch
    {
        PayoffStates.Verified => "Verified",
        PayoffStates.Pending => "Pending",
        PayoffStates.Disputed => "Disputed",
        _ => "Unknown",
    };

    public static string Repeatability(PublicMicromastery m) =>
        m.Repeated ? $"Repeated: held in {m.Contexts.ToString(CultureInfo.InvariantCulture)} different contexts"
        : m.Payoff == PayoffStates.Verified ? "Not yet repeated in a second context"
        : "Not yet";

    /// <summary>One sentence for descriptions and unfurls.</summary>
    public static string Summary(PublicMicromastery m) =>
        m.Payoff == PayoffStates.Disputed && m.VerifiedAt is { } first
            ? $"{m.Name}: payoff disputed — first verified on {Date(first)}, but its source no longer confirms the evidence."
        : m.VerifiedAt is { } at
            ? $"{m.Name}: payoff verified on {Date(at)}{(m.DaysToPayoff is { } d ? $", day {d.ToString(CultureInfo.InvariantCulture)} of the 7-day plan" : "")} — {string.Join("; ", m.HowVerified)}."
            : $"{m.Name}: payoff {State(m.Payoff).ToLowerInvariant()} — verified when there is {string.Join("; ", m.HowVerified)}.";
}
