using System.Text.Json;

namespace Micromastery.Hub.Payoffs;

/// <summary>An <c>observations</c> row as Dapper reads it; the ledger and the report turn it back into an <see cref="Observation"/> alike.</summary>
internal class ObservationRow
{
    public string Source { get; set; } = "";
    public string Kind { get; set; } = "";
    public string ExternalId { get; set; } = "";
    public long ObservedAt { get; set; }
    public string? Url { get; set; }
    public string Facts { get; set; } = "{}";

    public Observation ToObservation() => new(Source, Kind, ExternalId, DateTimeOffset.FromUnixTimeMilliseconds(ObservedAt), Url,
        JsonSerializer.Deserialize<Dictionary<string, string?>>(Facts) ?? []);
}
