using System.Globalization;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.GitHub;

/// <summary><c>github.workflow-run</c>: a GitHub Actions run concluded <c>success</c>.</summary>
internal sealed class GitHubWorkflowRunCheck(GitHubApi api, TimeProvider clock) : IRecheckableCheckType
{
    /// <summary>The type's name in the stack file.</summary>
    public const string Name = "github.workflow-run";

    public string Type => Name;

    public string HowVerified(CheckSpec check) => check.Get("event") == "schedule"
        ? "a scheduled GitHub Actions run that succeeded, reported by GitHub"
        : "a GitHub Actions run that succeeded, reported by GitHub";

    public string EvidenceTitle => "Workflow run succeeded (GitHub Actions)";

    // Public only when GitHub said, as the hub saw the run, that its repository is not private; unknown is private.
    public bool LinkIsPublic(Func<string, string?> fact) => fact(WorkflowRunObservation.PrivateFact) == "false";

    public string Description => "A GitHub Actions workflow run concluded 'success' (optionally for a workflow file, branch, triggering event, within a window).";

    public string DefaultSchedule => "*/30 * * * *";

    public IReadOnlyList<CheckParameter> Parameters { get; } =
    [
        new("repo", Required: true, "The repository as owner/name.", v => SplitRepo(v) is null ? "expected owner/name, e.g. octo-org/octo-repo" : null),
        new("workflow", Required: false, "Workflow file name (nightly.yml), path, or workflow name."),
        new("branch", Required: false, "Only runs on this branch."),
        new("event", Required: false, "Only runs triggered by this event, e.g. schedule, push, workflow_dispatch."),
        new("within", Required: false, "Only runs that ended within this window: 30m, 12h, 7d or 2w.", v => ParseWindow(v) is null ? "a number and a unit m, h, d or w, e.g. 7d" : null),
    ];

    public async Task<IReadOnlyList<Observation>> PollAsync(Stack.Micromastery micromastery, CheckSpec check, CancellationToken cancellationToken)
    {
        var (owner, name) = SplitRepo(check.Get("repo")!)!.Value;
        var runs = await api.SuccessfulRunsAsync(owner, name, WorkflowRunObservation.WorkflowFile(check.Get("workflow")), check.Get("branch"), check.Get("event"), micromastery.WindowStart, cancellationToken);
        return runs;
    }

    public Task<Recheck> RecheckAsync(CheckSpec check, Observation observation, CancellationToken cancellationToken)
    {
        var (owner, name) = SplitRepo(observation.Fact("repo") ?? check.Get("repo")!) ?? SplitRepo(check.Get("repo")!)!.Value;
        return api.RecheckRunAsync(owner, name, long.Parse(observation.ExternalId, CultureInfo.InvariantCulture), cancellationToken);
    }

    public bool Satisfies(CheckSpec check, Observation observation)
    {
        if (observation.Kind != GitHubWorkflowRunCheck.Name || observation.Fact("conclusion") != "success"
            || !string.Equals(observation.Fact("repo"), check.Get("repo"), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (check.Get("workflow") is { } workflow
            && !string.Equals(observation.Fact("workflow"), WorkflowRunObservation.WorkflowFile(workflow), StringComparison.OrdinalIgnoreCase)
            && !string.Equals(observation.Fact("name"), workflow, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if ((check.Get("branch") is { } branch && observation.Fact("branch") != branch)
            || (check.Get("event") is { } trigger && observation.Fact("event") != trigger))
        {
            return false;
        }

        // The window is judged when the proof arrives; evidence, once recorded, is kept.
        return check.Get("within") is not { } within || observation.ObservedAt >= clock.GetUtcNow() - ParseWindow(within)!.Value;
    }

    public static (string Owner, string Name)? SplitRepo(string value)
    {
        var parts = value.Split('/');
        return parts.Length == 2 && parts.All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            ? (parts[0], parts[1])
            : null;
    }

    public static TimeSpan? ParseWindow(string value)
    {
        if (value.Length < 2 || !int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        return value[^1] switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            'w' => TimeSpan.FromDays(7 * n),
            _ => null,
        };
    }

    public string ContextNoun => "repository";

    public string? ContextOf(Observation observation) => observation.Fact("repo");

    public bool WebhooksCanSatisfy => true;
}
