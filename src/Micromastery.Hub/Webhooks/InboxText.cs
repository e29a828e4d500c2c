using System.Text.Json;
using System.Text.Json.Nodes;

namespace Micromastery.Hub.Webhooks;

/// <summary>The inbox page's words for states and outcomes, and a readable body.</summary>
internal static class InboxText
{
    public static string Word(InboxState state) => state switch
    {
        InboxState.Received => "waiting",
        InboxState.Processed => "processed",
        InboxState.Ignored => "ignored",
        _ => "failed",
    };

    public static InboxState? Parse(string? word) =>
        Enum.GetValues<InboxState>().Cast<InboxState?>().FirstOrDefault(s => Word(s!.Value) == word);

    /// <summary>How an event arrived, as the filter and its query string say it.</summary>
    public static string Word(InboxVia via) => via == InboxVia.Reconciliation ? "recovered" : "webhook";

    public static InboxVia? ParseVia(string? word) =>
        Enum.GetValues<InboxVia>().Cast<InboxVia?>().FirstOrDefault(v => Word(v!.Value) == word);

    /// <summary>Why the hub trusted the event: the provider's signature, or the provider's own API.</summary>
    public static string Trust(InboxEventSummary e) => e.Via == InboxVia.Reconciliation
        ? $"Recovered from {e.Provider}'s own log by the inbox reconciliation: it never arrived by webhook. It carries no signature; it was trusted because it came from the provider's API over TLS, asked with the owner's key."
        : "By webhook: its signature was verified with the webhook secret before it was stored.";

    public static string Outcome(InboxEventSummary e) => e.State switch
    {
        InboxState.Received => e.Note is null ? "Waiting for the drain." : $"Waiting for another attempt: {e.Note}",
        InboxState.Processed => "Processed: its observations are recorded as evidence where they satisfy a check.",
        InboxState.Ignored => $"Ignored: {e.Note ?? "no reason recorded"}",
        _ => $"Failed: {e.Note ?? "no error recorded"}",
    };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The body indented when it is JSON; as stored otherwise.</summary>
    public static string Pretty(string body)
    {
        try
        {
            return JsonNode.Parse(body)?.ToJsonString(Indented) ?? body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
