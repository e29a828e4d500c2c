using System.Text.Json;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// The one place that decides which evidence links a stranger may follow: a link is shown when the owner
/// marked that evidence public, or when its check type says it is public by nature
/// (<see cref="ICheckType.LinkIsPublic"/>, reading the evidence's recorded facts). A type the running hub does
/// not know, and every type that says nothing, is private unless marked.
/// </summary>
internal static class EvidenceDisclosure
{
    public static bool LinkIsPublic(ICheckType? type, string? factsJson, bool markedByOwner) =>
        markedByOwner || (type is not null && type.LinkIsPublic(name => Fact(factsJson, name)));

    internal static string? Fact(string? factsJson, string name)
    {
        if (string.IsNullOrEmpty(factsJson))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(factsJson);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value)
                ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.True => "true", JsonValueKind.False => "false", _ => null }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
