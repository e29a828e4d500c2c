using System.Text.Json.Nodes;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>api.github.com stand-in answers, built from GitHub's OpenAPI example (Fixtures/github/workflow-runs.json).</summary>
public static class GitHubStubs
{
    public const long RunId = 30433642;
    public const string RunUrl = "https://github.com/octo-org/octo-repo/actions/runs/30433642";
    public const string ETag = "W/\"0123456789abcdef\"";

    /// <summary>The documented example run, concluded as asked, in the named repository.</summary>
    public static string Runs(string owner, string repo, string conclusion = "success", string triggeringEvent = "push", DateTimeOffset? updatedAt = null)
    {
        var document = Payloads.Json("github", "workflow-runs.json");
        var run = document["workflow_runs"]![0]!.AsObject();
        run["status"] = "completed";
        run["conclusion"] = conclusion;
        run["event"] = triggeringEvent;
        run["path"] = ".github/workflows/test.yml";
        run["updated_at"] = (updatedAt ?? DateTimeOffset.UtcNow.AddHours(-1)).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        run["repository"]!["full_name"] = $"{owner}/{repo}";
        return document.ToJsonString();
    }

    public static string RunsPath(string owner, string repo, string? workflow) =>
        workflow is null ? $"/repos/{owner}/{repo}/actions/runs" : $"/repos/{owner}/{repo}/actions/workflows/{workflow}/runs";

    public static void SuccessfulRuns(WireMockServer server, string owner, string repo, string? workflow, string triggeringEvent = "push", int remaining = 4999)
    {
        server.Given(Request.Create().WithPath(RunsPath(owner, repo, workflow)).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithHeader("Content-Type", "application/json; charset=utf-8")
                .WithHeader("ETag", ETag)
                .WithHeader("x-ratelimit-limit", "5000")
                .WithHeader("x-ratelimit-remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithHeader("x-ratelimit-reset", DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithBody(Runs(owner, repo, triggeringEvent: triggeringEvent)));
    }

    public static JsonObject Empty() => new() { ["total_count"] = 0, ["workflow_runs"] = new JsonArray() };
}
