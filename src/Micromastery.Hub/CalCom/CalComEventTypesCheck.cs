using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.CalCom;

/// <summary>
/// <c>calcom.event-types</c>: the tiers of meeting links exist, e.g. <c>tiers: 15:free,30:paid</c>.
/// One observation describes the whole set of event types (tiers only hold together), with an id
/// that changes when the set does. A tier is paid as Cal.com decides it (<see cref="CalComEventTypePrice"/>).
/// </summary>
internal sealed class CalComEventTypesCheck(CalComApi api, TimeProvider clock) : IPollingCheckType
{
    /// <summary>The type's name in the stack file.</summary>
    public const string Name = "calcom.event-types";

    public string Type => Name;

    public string HowVerified(CheckSpec check) => "paid and free meeting types ready to book, reported by Cal.com";

    public string EvidenceTitle => "Meeting types ready (Cal.com)";

    public string Description => "Cal.com event types exist for every tier, e.g. '15:free,30:paid' (minutes, and free or paid).";

    public string DefaultSchedule => "0 */6 * * *";

    public IReadOnlyList<CheckParameter> Parameters { get; } =
        [new("tiers", Required: true, "Comma-separated minutes[:free|paid], e.g. 15:free,30:paid.", v => ParseTiers(v) is null ? "expected e.g. 15:free,30:paid" : null)];

    public async Task<IReadOnlyList<Observation>> PollAsync(Stack.Micromastery micromastery, CheckSpec check, CancellationToken cancellationToken)
    {
        using var document = await api.EventTypesAsync(cancellationToken);
        var types = document.DataArray()
            .Where(t => t.Long("lengthInMinutes") is not null)
            .Select(t => (Id: t.Long("id") ?? 0, Minutes: t.Long("lengthInMinutes")!.Value, Price: CalComEventTypePrice.Of(t), Slug: t.Str("slug"), Url: t.Str("bookingUrl")))
            .OrderBy(t => t.Id)
            .ToList();
        if (types.Count == 0)
        {
            return [];
        }

        var tiers = string.Join(',', types.Select(t => $"{t.Minutes.ToString(CultureInfo.InvariantCulture)}:{(t.Price.Paid ? "paid" : "free")}").Distinct());
        var prices = string.Join("; ", types.Select(t => $"{t.Slug ?? t.Id.ToString(CultureInfo.InvariantCulture)} ({t.Minutes} min): {t.Price.Seen}"));
        var listing = string.Join(';', types.Select(t => $"{t.Id}:{t.Minutes}:{t.Price.Paid}"));
        var id = "event-types:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing)))[..16];
        var observation = new Observation(CalComBookings.Source, CalComEventTypesCheck.Name, id, clock.GetUtcNow(),
            types.Select(t => t.Url).FirstOrDefault(u => u is not null) ?? "https://app.cal.com/event-types",
            new Dictionary<string, string?> { ["tiers"] = tiers, ["slugs"] = string.Join(',', types.Select(t => t.Slug)), ["prices"] = prices });
        return Satisfies(check, observation)
            ? [observation]
            : throw new CheckPendingException($"tiers {check.Get("tiers")} not all there; Cal.com shows {prices}");
    }

    public bool Satisfies(CheckSpec check, Observation observation)
    {
        if (observation.Kind != CalComEventTypesCheck.Name || ParseTiers(check.Get("tiers") ?? "") is not { } required)
        {
            return false;
        }

        var available = ParseTiers(observation.Fact("tiers") ?? "") ?? [];
        return required.All(r => available.Any(a => a.Minutes == r.Minutes && (r.Paid is null || a.Paid == r.Paid)));
    }

    /// <summary><c>15:free,30:paid,60</c> → (15, false), (30, true), (60, either).</summary>
    public static IReadOnlyList<(int Minutes, bool? Paid)>? ParseTiers(string value)
    {
        var tiers = new List<(int, bool?)>();
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split(':');
            if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes <= 0 || parts.Length > 2)
            {
                return null;
            }

            bool? paid = parts.Length == 1 ? null : parts[1] switch { "free" => false, "paid" => true, _ => (bool?)null };
            if (parts.Length == 2 && paid is null)
            {
                return null;
            }

            tiers.Add((minutes, paid));
        }

        return tiers.Count > 0 ? tiers : null;
    }
}
