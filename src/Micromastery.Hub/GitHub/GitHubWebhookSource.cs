using System.Text.Json;
using Hangfire;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.GitHub;

/// <summary>
/// GitHub deliveries: <c>X-Hub-Signature-256</c> over the raw body, de-duplicated by
/// <c>X-GitHub-Delivery</c> (the same on a redelivery; scoped by hook id, as one event can reach two hooks
/// with one GUID). <c>workflow_run</c> becomes evidence, <c>check_suite</c> triggers a poll, <c>ping</c>
/// is acknowledged, anything else is stored and ignored.
/// </summary>
public sealed class GitHubWebhookSource(IOptionsMonitor<GitHubOptions> options, StackStore stack, IBackgroundJobClient jobs) : IWebhookSource
{
    public const string Name = "github";
    private const string SignaturePrefix = "sha256=";

    public string Provider => Name;

    public WebhookCheck Verify(IHeaderDictionary headers, byte[] body)
    {
        var secret = options.CurrentValue.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status503ServiceUnavailable, "GitHub webhooks are not configured: set GitHub:WebhookSecret");
        }

        var signature = headers["X-Hub-Signature-256"].ToString();
        if (string.IsNullOrWhiteSpace(signature))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "missing X-Hub-Signature-256 header");
        }

        if (!signature.StartsWith(SignaturePrefix, StringComparison.OrdinalIgnoreCase) || !HmacSignature.Matches(secret, body, signature[SignaturePrefix.Length..]))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "invalid X-Hub-Signature-256");
        }

        var delivery = headers["X-GitHub-Delivery"].ToString();
        var eventName = headers["X-GitHub-Event"].ToString();
        if (string.IsNullOrWhiteSpace(delivery) || string.IsNullOrWhiteSpace(eventName))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "missing X-GitHub-Delivery or X-GitHub-Event header");
        }

        if (!HmacSignature.IsJsonObject(body))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "body is not a JSON object");
        }

        var hook = headers["X-GitHub-Hook-ID"].ToString();
        return new WebhookCheck.Accepted(string.IsNullOrEmpty(hook) ? delivery : $"{hook}:{delivery}", eventName);
    }

    public InboxOutcome Map(StoredEvent stored)
    {
        using var document = JsonDocument.Parse(stored.Body);
        var root = document.RootElement;
        var action = Str(root, "action");
        switch (stored.EventType)
        {
            case "ping":
                return InboxOutcome.Observed();

            case "workflow_run" when action == "completed" && root.TryGetProperty("workflow_run", out var run) && Str(run, "conclusion") == "success":
                var repository = root.TryGetProperty("repository", out var repo) ? Str(repo, "full_name") : null;
                var completedAt = DateTimeOffset.TryParse(Str(run, "updated_at"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : stored.ReceivedAt;
                return InboxOutcome.Observed(WorkflowRunObservation.Create(run.GetProperty("id").GetInt64(), repository ?? "unknown/unknown", Str(run, "path"), Str(run, "name"),
                    Str(run, "head_branch"), Str(run, "event"), "success", completedAt, Str(run, "html_url")));

            case "workflow_run":
                return InboxOutcome.Ignored($"workflow run {action}, not a completed success");

            case "check_suite" when action == "completed":
                // A finished suite carries no run id: poll the repository's checks now, which records the runs once.
                var full = root.TryGetProperty("repository", out var suiteRepo) ? Str(suiteRepo, "full_name") : null;
                var polled = PollChecksOf(full);
                return polled > 0 ? InboxOutcome.Observed() : InboxOutcome.Ignored($"check suite of {full}: no check of the stack watches it");

            case "check_suite":
                return InboxOutcome.Ignored($"check suite {action}, not completed");

            default:
                return InboxOutcome.Ignored($"event '{stored.EventType}' proves no payoff");
        }
    }

    private int PollChecksOf(string? repository)
    {
        var polled = 0;
        foreach (var m in stack.Current.Micromasteries)
        {
            foreach (var check in m.Checks.Where(c => c.Type == CheckTypes.GitHubWorkflowRun && string.Equals(c.Get("repo"), repository, StringComparison.OrdinalIgnoreCase)))
            {
                var (slug, id) = (m.Slug, check.Id);
                jobs.Enqueue<CheckJob>(job => job.RunAsync(slug, id, CancellationToken.None));
                polled++;
            }
        }

        return polled;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
