namespace Micromastery.Hub.GitHub;

internal sealed class GitHubOptions
{
    public const string Section = "GitHub";

    /// <summary>A token that can read Actions of the repositories in the stack (fine-grained: "Actions: read").</summary>
    public string? Token { get; set; }

    /// <summary>The secret set on the repository's webhook; POST /webhooks/github answers 503 without it.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>REST API root. GitHub Enterprise Server: <c>https://HOST/api/v3/</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.github.com/";
}
