using System.Text.Json;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// The one place that decides which evidence links a stranger may follow. A link is shown when the owner
/// marked that evidence public, or when its source is public by nature: a newsletter issue from a feed or a
/// published post, a page the hub fetched over the internet. A GitHub run is public only when GitHub said,
/// as the hub saw the run, that its repository is not private (<c>repository.private: false</c>); when the
/// hub did not see that (e.g. the run arrived by webhook), the repository is treated as private.
/// Stripe, Cal.com, subscriber counts and manual notes are private unless marked.
/// </summary>
public static class EvidenceDisclosure
{
    /// <summary>The observation fact that records GitHub's <c>repository.private</c>.</summary>
    public const string GitHubPrivateFact = "private";

    public static bool LinkIsPublic(string checkType, string? factsJson, bool markedByOwner) =>
        markedByOwner || checkType switch
        {
            CheckTypes.NewsletterPublished or CheckTypes.HttpPage => true,
            CheckTypes.GitHubWorkflowRun => Fact(factsJson, GitHubPrivateFact) == "false",
            _ => false,
        };

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
