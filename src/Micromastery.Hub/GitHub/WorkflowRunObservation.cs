using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.GitHub;

/// <summary>
/// A workflow run as an observation, built the same way from a poll and from a <c>workflow_run</c>
/// webhook: the run id is the external id, so both are one piece of evidence.
/// </summary>
internal static class WorkflowRunObservation
{
    public const string Source = "github";

    /// <summary>The fact that records GitHub's <c>repository.private</c>, read by <see cref="GitHubWorkflowRunCheck.LinkIsPublic"/>.</summary>
    public const string PrivateFact = "private";

    public static Observation Create(long runId, string repository, string? path, string? name, string? branch, string? triggeringEvent, string? conclusion, DateTimeOffset completedAt, string? htmlUrl,
        bool? repositoryPrivate = null) =>
        new(Source, GitHubWorkflowRunCheck.Name, runId.ToString(System.Globalization.CultureInfo.InvariantCulture), completedAt,
            htmlUrl ?? $"https://github.com/{repository}/actions/runs/{runId}",
            new Dictionary<string, string?>
            {
                ["repo"] = repository.ToLowerInvariant(),
                ["workflow"] = WorkflowFile(path),
                ["path"] = path,
                ["name"] = name,
                ["branch"] = branch,
                ["event"] = triggeringEvent,
                ["conclusion"] = conclusion,
                // GitHub's repository.private as the hub saw it; absent means unknown, and the public page then treats it as private.
                [PrivateFact] = repositoryPrivate is { } p ? (p ? "true" : "false") : null,
            });

    /// <summary><c>.github/workflows/nightly.yml@main</c> → <c>nightly.yml</c>.</summary>
    public static string? WorkflowFile(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var at = path.IndexOf('@', StringComparison.Ordinal);
        return System.IO.Path.GetFileName(at >= 0 ? path[..at] : path);
    }
}
