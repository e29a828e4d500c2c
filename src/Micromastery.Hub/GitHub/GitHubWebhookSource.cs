using System.Text.Json;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.GitHub;

/// <summary>
/// GitHub deliveries: <c>X-Hub-Signature-256</c> over the raw body, de-duplicated by
/// <c>X-GitHub-Delivery</c> (the same on a redelivery; scoped by hook id, as one event can reach two hooks
/// with one GUID). <c>workflow_run</c> becomes evidence, <c>check_suite</c> asks for a poll, <c>ping</c>
/// is acknowledged, anything else is stored and ignored.
/// </summary>
internal sealed class GitHubWebhookSource(IOptionsMonitor<GitHubOptions> options, StackStore stack) : IWebhookSource
{
    public const string Name = "github";
    private const string SignaturePrefix = "sha256=";

    public string Provider => Name;

    public string DisplayName => "GitHub";

    public string SecretKey => $"{GitHubOptions.Section}:{nameof(GitHubOptions.WebhookSecret)}";

    public string? Secret => options.CurrentValue.WebhookSecret;

    public string SignatureHeader => "X-Hub-Signature-256";

    private readonly SecretBytes _key = new();

    public WebhookCheck Verify(string secret, string signature, IHeaderDictionary headers, WebhookBody body)
    {
        if (!signature.StartsWith(SignaturePrefix, StringComparison.OrdinalIgnoreCase) || !HmacSignature.Matches(_key.Of(secret), body.Bytes, signature.AsSpan(SignaturePrefix.Length)))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "invalid X-Hub-Signature-256");
        }

        var delivery = headers["X-GitHub-Delivery"].ToString();
        var eventName = headers["X-GitHub-Event"].ToString();
        if (string.IsNullOrWhiteSpace(delivery) || string.IsNullOrWhiteSpace(eventName))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "missing X-GitHub-Delivery or X-GitHub-Event header");
        }

        if (!TopLevelJson.IsObject(body.Bytes))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "body is not a JSON object");
        }

        return new WebhookCheck.Accepted(EventKey(headers["X-GitHub-Hook-ID"].ToString(), delivery), eventName);
    }

    /// <summary>The inbox key of a delivery: its GUID, scoped by the hook it came through (the webhook path and reconciliation agree on it).</summary>
    public static string EventKey(string? hook, string delivery) => string.IsNullOrEmpty(hook) ? delivery : $"{hook}:{delivery}";

    /// <summary>The events <see cref="Map"/> acts on: what reconciliation fetches; the rest would be stored and ignored.</summary>
    public static bool ActsOn(string? eventName, string? action) =>
        eventName is "workflow_run" or "check_suite" && action is null or "completed";

    public InboxOutcome Map(StoredEvent stored)
    {
        using var document = JsonDocument.Parse(stored.Body);
        var root = document.RootElement;
        var action = root.Str("action");
        switch (stored.EventType)
        {
            case "ping":
                return InboxOutcome.Observed();

            case "workflow_run" when action == "completed" && root.TryGetProperty("workflow_run", out var run) && run.Str("conclusion") == "success":
                var repository = root.TryGetProperty("repository", out var repo) ? repo.Str("full_name") : null;
                // What GitHub says of the repository decides whether the public page may link the run.
                bool? repositoryPrivate = repository is not null && repo.TryGetProperty("private", out var hidden) && hidden.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? hidden.GetBoolean()
                    : null;
                var completedAt = DateTimeOffset.TryParse(run.Str("updated_at"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : stored.ReceivedAt;
                return InboxOutcome.Observed(WorkflowRunObservation.Create(run.GetProperty("id").GetInt64(), repository ?? "unknown/unknown", run.Str("path"), run.Str("name"),
                    run.Str("head_branch"), run.Str("event"), "success", completedAt, run.Str("html_url"), repositoryPrivate));

            // A re-run that failed changes that run only: its earlier attempt's success stays a fact, and other runs are untouched.
            case "workflow_run" when action == "completed" && root.TryGetProperty("workflow_run", out var rerun) && rerun.Long("run_attempt") is > 1 and var attempt
                                     && rerun.TryGetProperty("id", out var rerunId) && rerunId.TryGetInt64(out var failedRun):
                return InboxOutcome.Rechecked(new Recheck(WorkflowRunObservation.Source, GitHubWorkflowRunCheck.Name, failedRun.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    RecheckStates.Changed, $"re-run attempt {attempt} concluded {rerun.Str("conclusion") ?? "without a conclusion"}"));

            case "workflow_run":
                return InboxOutcome.Ignored($"workflow run {action}, not a completed success");

            case "check_suite" when action == "completed":
                // A finished suite carries no run id: poll the repository's checks now, which records the runs once.
                var full = root.TryGetProperty("repository", out var suiteRepo) ? suiteRepo.Str("full_name") : null;
                var watching = ChecksWatching(full);
                return watching.Count > 0 ? InboxOutcome.Poll(watching) : InboxOutcome.Ignored($"check suite of {full}: no check of the stack watches it");

            case "check_suite":
                return InboxOutcome.Ignored($"check suite {action}, not completed");

            default:
                return InboxOutcome.Ignored($"event '{stored.EventType}' proves no payoff");
        }
    }

    private List<CheckRef> ChecksWatching(string? repository) =>
        [.. from m in stack.Current.Micromasteries
            from check in m.Checks
            where check.Type == GitHubWorkflowRunCheck.Name && string.Equals(check.Get("repo"), repository, StringComparison.OrdinalIgnoreCase)
            select new CheckRef(m.Slug, check.Id)];
}
