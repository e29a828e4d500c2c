using System.Text.Json.Nodes;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>GitHub's verification and mapping, called directly on the committed fixtures and on every example GitHub publishes.</summary>
public sealed class GitHubWebhookSourceTests : IDisposable
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private readonly StackOnDisk _stack = new("""
        timeZone: UTC
        micromasteries:
          - slug: ci
            name: GitHub Actions workflow
            layer: A
            started: 2026-11-20
            checks:
              - type: github.workflow-run
                id: hello
                repo: Codertocat/Hello-World
              - type: github.workflow-run
                id: elsewhere
                repo: octo-org/elsewhere
          - slug: hello-nightly
            name: A nightly job
            layer: A
            started: 2026-11-20
            checks:
              - type: github.workflow-run
                repo: codertocat/hello-world
                workflow: nightly.yml
        """);

    public void Dispose() => _stack.Dispose();

    [Theory]
    [MemberData(nameof(GitHubExamples.Cases), MemberType = typeof(GitHubExamples))]
    public void Verify_EveryPublishedExample_IsAcceptedAsItsEvent(string eventName, int index)
    {
        var delivery = new WebhookDelivery("github", GitHubExamples.All[index].Body) { GitHubEvent = eventName };

        var accepted = Assert.IsType<WebhookCheck.Accepted>(delivery.CheckedBy(TestWebhookSources.GitHub()));

        Assert.Equal(eventName, accepted.EventType);
        Assert.Equal($"292430182:{delivery.GitHubDelivery}", accepted.EventId);
    }

    [Theory]
    [MemberData(nameof(GitHubExamples.Cases), MemberType = typeof(GitHubExamples))]
    public void Map_EveryPublishedExample_IsEvidenceAPollOrAReason(string eventName, int index)
    {
        var body = GitHubExamples.All[index].Body;
        var json = JsonNode.Parse(body)!;
        var action = json["action"]?.GetValue<string>();

        var outcome = Map(eventName, body);

        switch (eventName)
        {
            case "workflow_run" when action == "completed" && json["workflow_run"]!["conclusion"]?.GetValue<string>() == "success":
                var run = Assert.Single(outcome.Observations);
                Assert.Equal(GitHubWorkflowRunCheck.Name, run.Kind);
                Assert.Equal(json["workflow_run"]!["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), run.ExternalId);
                Assert.Equal(json["repository"]!["full_name"]!.GetValue<string>().ToLowerInvariant(), run.Fact("repo"));
                // What GitHub said of the repository travels with the run: the public page links only public ones.
                Assert.Equal(json["repository"]!["private"]?.GetValue<bool>() is { } hidden ? (hidden ? "true" : "false") : null, run.Fact("private"));
                Assert.Null(run.Problem());
                break;
            case "ping":
                Assert.Equal(InboxOutcome.Observed().IgnoredBecause, outcome.IgnoredBecause);
                Assert.Empty(outcome.Observations);
                break;
            case "check_suite" when action == "completed" && outcome.PollNow.Count > 0:
                var repository = json["repository"]!["full_name"]!.GetValue<string>();
                Assert.All(outcome.PollNow, c => Assert.Equal(repository, _stack.Store.Current.Find(c.Slug)!.Checks.Single(k => k.Id == c.CheckId).Get("repo"), StringComparer.OrdinalIgnoreCase));
                break;
            default:
                Assert.Empty(outcome.Observations);
                Assert.Empty(outcome.PollNow);
                Assert.False(string.IsNullOrEmpty(outcome.IgnoredBecause), $"{eventName}/{action} neither proves, polls nor says why");
                break;
        }
    }

    [Fact]
    public void Map_CompletedWorkflowRunFixture_IsOneRunWithItsWorkflowFile()
    {
        var outcome = Map("workflow_run", Payloads.Text("github", "workflow_run.completed.json"));

        var run = Assert.Single(outcome.Observations);
        Assert.Equal("octo-org/octo-repo", run.Fact("repo"));
        Assert.Equal("success", run.Fact("conclusion"));
        Assert.NotNull(run.Fact("workflow"));
        Assert.Equal("false", run.Fact("private"));
    }

    [Fact]
    public void Map_ReRunEndingInFailure_ChangesOnlyThatRun_NeverRevokesAnother()
    {
        var json = JsonNode.Parse(Payloads.Text("github", "workflow_run.completed.json"))!.AsObject();
        json["workflow_run"]!["conclusion"] = "failure";
        json["workflow_run"]!["run_attempt"] = 2;

        var outcome = Map("workflow_run", json.ToJsonString());

        Assert.Empty(outcome.Observations);
        var recheck = Assert.Single(outcome.Rechecks!);
        Assert.Equal(json["workflow_run"]!["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), recheck.ExternalId);
        Assert.Equal(Hub.Payoffs.RecheckStates.Changed, recheck.State);
        Assert.Contains("attempt 2 concluded failure", recheck.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_FirstAttemptEndingInFailure_IsIgnored()
    {
        var json = JsonNode.Parse(Payloads.Text("github", "workflow_run.completed.json"))!.AsObject();
        json["workflow_run"]!["conclusion"] = "failure";

        var outcome = Map("workflow_run", json.ToJsonString());

        Assert.Empty(outcome.Observations);
        Assert.Null(outcome.Rechecks);
        Assert.NotNull(outcome.IgnoredBecause);
    }

    [Fact]
    public void Map_RequestedWorkflowRun_IsIgnored()
    {
        var outcome = Map("workflow_run", Payloads.Text("github", "workflow_run.requested.json"));

        Assert.Empty(outcome.Observations);
        Assert.Equal("workflow run requested, not a completed success", outcome.IgnoredBecause);
    }

    [Fact]
    public void Map_CompletedCheckSuiteOfAWatchedRepository_AsksToPollEveryCheckWatchingIt()
    {
        var outcome = Map("check_suite", Payloads.Text("github", "check_suite.completed.json"));

        Assert.Null(outcome.IgnoredBecause);
        Assert.Empty(outcome.Observations);
        Assert.Equal([new CheckRef("ci", "hello"), new CheckRef("hello-nightly", _stack.Store.Current.Find("hello-nightly")!.Checks[0].Id)], outcome.PollNow);
    }

    [Fact]
    public void Map_CompletedCheckSuiteOfAnUnwatchedRepository_IsIgnored()
    {
        var json = Payloads.Json("github", "check_suite.completed.json");
        json["repository"]!["full_name"] = "someone/else";

        var outcome = Map("check_suite", json.ToJsonString());

        Assert.Empty(outcome.PollNow);
        Assert.Equal("check suite of someone/else: no check of the stack watches it", outcome.IgnoredBecause);
    }

    [Theory]
    [InlineData("ping.json", "ping", null)]
    [InlineData("issues.opened.json", "issues", "event 'issues' proves no payoff")]
    public void Map_OtherFixtures_AreAcknowledgedOrIgnored(string file, string eventName, string? ignoredBecause)
    {
        var outcome = Map(eventName, Payloads.Text("github", file));

        Assert.Empty(outcome.Observations);
        Assert.Equal(ignoredBecause, outcome.IgnoredBecause);
    }

    private InboxOutcome Map(string eventName, string body) =>
        TestWebhookSources.GitHub(stack: _stack.Store).Map(new StoredEvent(1, GitHubWebhookSource.Name, "delivery", eventName, body, ReceivedAt));
}
