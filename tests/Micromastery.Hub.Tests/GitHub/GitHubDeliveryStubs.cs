using System.Globalization;
using System.Text.Json.Nodes;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>
/// api.github.com stand-in for a repository's webhooks and their deliveries, built from GitHub's OpenAPI examples
/// (Fixtures/github/repository-hooks.json, hook-deliveries.json, hook-delivery.json).
/// </summary>
public static class GitHubDeliveryStubs
{
    public const string Repository = "octo-org/octo-repo";
    public const long HookId = 292430182;
    public const long OtherHookId = 12345678;
    public const string HubUrl = "https://hub.example.test";

    /// <summary>One delivery GitHub recorded: its id, GUID, event and action, when, and the payload it carried.</summary>
    public sealed record Delivery(long Id, string Guid, string Event, string Action, DateTimeOffset DeliveredAt, string Payload);

    /// <summary>A completed successful workflow run with its own id (the webhook fixture, renumbered).</summary>
    public static string WorkflowRun(long runId)
    {
        var body = Payloads.Json("github", "workflow_run.completed.json");
        body["workflow_run"]!["id"] = runId;
        body["workflow_run"]!["html_url"] = $"https://github.com/{Repository}/actions/runs/{runId}";
        return body.ToJsonString();
    }

    /// <summary>The repository's hooks: one pointing at the hub's GitHub receiver, one at another service.</summary>
    public static void Hooks(WireMockServer github)
    {
        var template = Payloads.Text("github", "repository-hooks.json");
        var ours = JsonNode.Parse(template)!.AsArray()[0]!.DeepClone().AsObject();
        ours["id"] = HookId;
        ours["events"] = new JsonArray("workflow_run", "check_suite");
        ours["config"]!["url"] = HubUrl + "/webhooks/github";
        var other = JsonNode.Parse(template)!.AsArray()[0]!.DeepClone().AsObject();
        other["id"] = OtherHookId;
        github.Given(Request.Create().WithPath($"/repos/{Repository}/hooks").UsingGet().WithHeader("Authorization", "Bearer ghp_reconcile"))
            .RespondWith(Json(new JsonArray(ours, other).ToJsonString()));
    }

    /// <summary>
    /// The hook's deliveries, newest first, in pages of <paramref name="perPage"/> linked by a cursor in the <c>Link</c>
    /// header as GitHub does; and each delivery's detail with its request headers and payload.
    /// </summary>
    public static void Deliveries(WireMockServer github, IReadOnlyList<Delivery> deliveries, int perPage, string? scope = null, long hookId = HookId)
    {
        var path = $"/{scope ?? "repos/" + Repository}/hooks/{hookId}/deliveries";
        var pages = deliveries.Chunk(perPage).ToList();
        for (var i = 0; i < pages.Count; i++)
        {
            var data = new JsonArray([.. pages[i].Select(d => (JsonNode)ListItem(d))]);
            var response = Json(data.ToJsonString());
            if (i + 1 < pages.Count)
            {
                response = response.WithHeader("Link", $"<{github.Url}{path}?per_page=100&cursor=v1_{pages[i + 1][0].Id}>; rel=\"next\"");
            }

            // The first page answers a request without a cursor; later pages, asked by their cursor, win over it.
            var request = Request.Create().WithPath(path).UsingGet();
            github.Given(i == 0 ? request : request.WithParam("cursor", $"v1_{pages[i][0].Id}"))
                .AtPriority(i == 0 ? 10 : 1)
                .RespondWith(response);
        }

        foreach (var d in deliveries)
        {
            var detail = Payloads.Json("github", "hook-delivery.json");
            Fill(detail, d);
            detail["url"] = HubUrl + "/webhooks/github";
            var headers = detail["request"]!["headers"]!.AsObject();
            headers["X-GitHub-Delivery"] = d.Guid;
            headers["X-GitHub-Event"] = d.Event;
            headers["X-GitHub-Hook-ID"] = hookId.ToString(CultureInfo.InvariantCulture);
            detail["request"]!["payload"] = JsonNode.Parse(d.Payload);
            // Below priority 1, so a test can make one delivery's answer fail.
            github.Given(Request.Create().WithPath($"{path}/{d.Id}").UsingGet()).AtPriority(5).RespondWith(Json(detail.ToJsonString()));
        }
    }

    public static string DeliveryPath(long id) => $"/repos/{Repository}/hooks/{HookId}/deliveries/{id}";

    public const string Organization = "octo-org";
    public const long OrgHookId = 555000111;

    /// <summary>The organization's hooks (GET /orgs/{org}/hooks: the same shape, type "Organization"), one pointing at the hub.</summary>
    public static void OrgHooks(WireMockServer github)
    {
        var ours = JsonNode.Parse(Payloads.Text("github", "repository-hooks.json"))!.AsArray()[0]!.DeepClone().AsObject();
        ours["id"] = OrgHookId;
        ours["type"] = "Organization";
        ours["events"] = new JsonArray("workflow_run");
        ours["config"]!["url"] = HubUrl + "/webhooks/github";
        github.Given(Request.Create().WithPath($"/orgs/{Organization}/hooks").UsingGet().WithHeader("Authorization", "Bearer ghp_reconcile"))
            .RespondWith(Json(new JsonArray(ours).ToJsonString()));
    }

    private static JsonObject ListItem(Delivery d)
    {
        var item = JsonNode.Parse(Payloads.Text("github", "hook-deliveries.json"))!.AsArray()[0]!.DeepClone().AsObject();
        Fill(item, d);
        return item;
    }

    private static void Fill(JsonObject o, Delivery d)
    {
        o["id"] = d.Id;
        o["guid"] = d.Guid;
        o["event"] = d.Event;
        o["action"] = d.Action;
        o["delivered_at"] = d.DeliveredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        // What GitHub records when the hub was off: no connection, no status code.
        o["status"] = "failed to connect to host";
        o["status_code"] = 0;
        o["redelivery"] = false;
    }

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body);
}
