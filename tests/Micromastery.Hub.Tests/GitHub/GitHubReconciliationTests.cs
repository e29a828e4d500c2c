using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Micromastery.Hub.Tests.GitHub.GitHubDeliveryStubs;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>
/// Deliveries GitHub made while the hub was down (GitHub never retries them): its deliveries log (a WireMock stand-in
/// serving GitHub's documented shapes, two pages linked by cursor) gives them back, each enters the inbox once under
/// the webhook's own key, and webhook and reconciliation never duplicate each other in either order.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class GitHubReconciliationTests
{
    private const string Stack = GitHubWebhookTests.Stack;

    private static Dictionary<string, string?> Settings(WireMockServer github) => new()
    {
        ["GitHub:Token"] = "ghp_reconcile",
        ["GitHub:BaseUrl"] = github.Url,
        ["GitHub:WebhookSecret"] = ServicesHub.GitHubSecret,
        ["Public:BaseUrl"] = HubUrl,
        ["Polling:Retries"] = "0",
    };

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task DeliveriesNeverReceived_RecoveredOnce_WebhookAndReconciliationNeverDuplicate(StorageProvider provider)
    {
        using var github = WireMockServer.Start();
        var now = DateTimeOffset.UtcNow;
        var missed = new Delivery(9001, Guid.NewGuid().ToString(), "workflow_run", "completed", now.AddHours(-3), WorkflowRun(7001));
        var arrived = new Delivery(9002, Guid.NewGuid().ToString(), "workflow_run", "completed", now.AddHours(-2), WorkflowRun(7002));
        var issue = new Delivery(9003, Guid.NewGuid().ToString(), "issues", "opened", now.AddHours(-1), Payloads.Text("github", "issues.opened.json"));
        var tooOld = new Delivery(9000, Guid.NewGuid().ToString(), "workflow_run", "completed", now.AddDays(-4), WorkflowRun(7000));
        Hooks(github);
        Deliveries(github, [issue, arrived, missed, tooOld], perPage: 2);
        await using var hub = await DedicatedHub.CreateAsync(provider, Stack);
        var factory = hub.Start(Settings(github));
        var client = factory.CreateClient();
        var webhookFirst = await PostAsync(client, arrived);

        var first = await ReconcileAsync(client);
        var second = await ReconcileAsync(client);
        var redelivery = await PostAsync(client, missed);

        Assert.Equal(HttpStatusCode.OK, webhookFirst.StatusCode);
        var answer = first.GetProperty("github");
        Assert.True(answer.GetProperty("asked").GetBoolean());
        Assert.Equal(1, answer.GetProperty("recovered").GetInt32());
        Assert.True(answer.GetProperty("since").GetDateTimeOffset() <= now.AddDays(-2.9));
        Assert.Equal(0, second.GetProperty("github").GetProperty("recovered").GetInt32());
        Assert.Equal(HttpStatusCode.OK, redelivery.StatusCode);
        Assert.Contains("duplicate", await redelivery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var connection = await factory.Services.GetRequiredService<HubDatabase>().OpenAsync();
        var rows = (await connection.QueryAsync<(string EventId, int Via)>("SELECT event_id, via FROM inbox_events WHERE provider = 'github' ORDER BY id")).ToList();
        Assert.Equal([($"{HookId}:{arrived.Guid}", 0), ($"{HookId}:{missed.Guid}", 1)], rows);
        var evidence = (await client.VerifiedAsync("ci")).Evidence.Select(e => e.ExternalId).Order().ToList();
        Assert.Equal(["7001", "7002"], evidence);
        // Only the missed delivery's payload was fetched; the other service's hook and the ignored event were never asked.
        var asked = github.LogEntries.Select(e => e.RequestMessage.Path).ToList();
        Assert.Contains(DeliveryPath(missed.Id), asked);
        Assert.DoesNotContain(DeliveryPath(arrived.Id), asked);
        Assert.DoesNotContain(DeliveryPath(issue.Id), asked);
        Assert.DoesNotContain(DeliveryPath(tooOld.Id), asked);
        Assert.DoesNotContain(asked, p => p.Contains($"/hooks/{OtherHookId}/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OrganizationWebhookDeliveries_AreRecoveredToo_UnderTheOrganizationHooksKey()
    {
        using var github = WireMockServer.Start();
        var now = DateTimeOffset.UtcNow;
        var viaRepository = new Delivery(9201, Guid.NewGuid().ToString(), "workflow_run", "completed", now.AddHours(-2), WorkflowRun(7201));
        var viaOrganization = new Delivery(9301, Guid.NewGuid().ToString(), "workflow_run", "completed", now.AddHours(-1), WorkflowRun(7301));
        Hooks(github);
        Deliveries(github, [viaRepository], perPage: 100);
        OrgHooks(github);
        Deliveries(github, [viaOrganization], perPage: 100, scope: $"orgs/{Organization}", hookId: OrgHookId);
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, Stack);
        var factory = hub.Start(Settings(github));
        var client = factory.CreateClient();

        var answer = (await ReconcileAsync(client)).GetProperty("github");

        Assert.Equal(2, answer.GetProperty("recovered").GetInt32());
        await using var connection = await factory.Services.GetRequiredService<HubDatabase>().OpenAsync();
        var keys = (await connection.QueryAsync<string>("SELECT event_id FROM inbox_events WHERE provider = 'github' ORDER BY event_id")).ToList();
        Assert.Equal(new[] { $"{HookId}:{viaRepository.Guid}", $"{OrgHookId}:{viaOrganization.Guid}" }.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.Equal(["7201", "7301"], (await client.VerifiedAsync("ci")).Evidence.Select(e => e.ExternalId).Order().ToList());
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite, 403, "rate limit")]
    [InlineData(StorageProvider.Postgres, 502, "GitHub answered 502")]
    public async Task GitHubRefusesADeliveryPayload_AnswerSaysSo_NothingRecorded(StorageProvider provider, int status, string said)
    {
        using var github = WireMockServer.Start();
        var now = DateTimeOffset.UtcNow;
        var first = new Delivery(9101, Guid.NewGuid().ToString(), "workflow_run", "completed", now.AddHours(-2), WorkflowRun(7101));
        var second = new Delivery(9102, Guid.NewGuid().ToString(), "workflow_run", "completed", now.AddHours(-1), WorkflowRun(7102));
        Hooks(github);
        Deliveries(github, [second, first], perPage: 100);
        var refusal = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody("""{"message":"API rate limit exceeded"}""");
        if (status == 403)
        {
            refusal = refusal.WithHeader("x-ratelimit-remaining", "0").WithHeader("x-ratelimit-reset", now.AddMinutes(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        github.Given(Request.Create().WithPath(DeliveryPath(first.Id)).UsingGet()).AtPriority(1).RespondWith(refusal);
        await using var hub = await DedicatedHub.CreateAsync(provider, Stack);
        var factory = hub.Start(Settings(github));
        var client = factory.CreateClient();

        var answer = (await ReconcileAsync(client)).GetProperty("github");

        Assert.True(answer.GetProperty("asked").GetBoolean());
        Assert.Equal(0, answer.GetProperty("recovered").GetInt32());
        Assert.Contains(said, answer.GetProperty("note").GetString(), StringComparison.Ordinal);
        await using var connection = await factory.Services.GetRequiredService<HubDatabase>().OpenAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events"));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM observations"));
        Assert.Equal("pending", (await client.MicromasteryAsync("ci")).Payoff);
    }

    [Fact]
    public async Task HubStarting_ReconcilesOnce_WithoutBeingAsked()
    {
        using var github = WireMockServer.Start();
        var missed = new Delivery(9201, Guid.NewGuid().ToString(), "workflow_run", "completed", DateTimeOffset.UtcNow.AddHours(-5), WorkflowRun(7201));
        Hooks(github);
        Deliveries(github, [missed], perPage: 100);
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, Stack);
        var settings = Settings(github);
        settings["Reconciliation:AtStartup"] = "true";
        var factory = hub.Start(settings);
        var client = factory.CreateClient();

        var verified = await client.VerifiedAsync("ci");

        Assert.Equal("7201", Assert.Single(verified.Evidence).ExternalId);
        await using var connection = await factory.Services.GetRequiredService<HubDatabase>().OpenAsync();
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE provider = 'github' AND via = 1"));
    }

    [Theory]
    [InlineData("https://hub.example.test/webhooks/github", "https://hub.example.test/webhooks/github", true)]
    [InlineData("https://HUB.example.test/webhooks/github/", "https://hub.example.test/webhooks/github", true)]
    [InlineData("https://other.example.test/webhooks/github", "https://hub.example.test/webhooks/github", false)]
    [InlineData("https://tunnel.example.dev/webhooks/github", null, true)]
    [InlineData("https://ci.example.dev/hooks/github", null, false)]
    [InlineData("not a url", null, false)]
    public void PointsHere_ThePublicBaseUrlWhenSet_ElseTheReceiversPath(string url, string? ours, bool expected) =>
        Assert.Equal(expected, Hub.GitHub.GitHubDeliveryLog.PointsHere(url, ours));

    [Fact]
    public void NextPage_FollowsRelNextOnGitHubsHostOnly()
    {
        var api = new Uri("https://api.github.com/");

        var next = Hub.GitHub.GitHubDeliveryLog.NextPage("<https://api.github.com/repos/o/r/hooks/1/deliveries?cursor=v1_5>; rel=\"next\", <https://api.github.com/x?cursor=v1_1>; rel=\"prev\"", api);
        var last = Hub.GitHub.GitHubDeliveryLog.NextPage("<https://api.github.com/x?cursor=v1_1>; rel=\"prev\"", api);
        var elsewhere = Hub.GitHub.GitHubDeliveryLog.NextPage("<https://evil.example/steal>; rel=\"next\"", api);

        Assert.Equal("https://api.github.com/repos/o/r/hooks/1/deliveries?cursor=v1_5", next);
        Assert.Null(last);
        Assert.Null(elsewhere);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Delivery delivery) =>
        client.PostWebhookAsync("github", delivery.Payload,
            ("X-GitHub-Event", delivery.Event), ("X-GitHub-Delivery", delivery.Guid), ("X-GitHub-Hook-ID", HookId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("X-Hub-Signature-256", TestSignatures.GitHub(delivery.Payload)));

    internal static async Task<JsonElement> ReconcileAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/inbox/reconcile", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
