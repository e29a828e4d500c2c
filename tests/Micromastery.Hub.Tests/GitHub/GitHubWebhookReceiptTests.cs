using System.Net;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>
/// What only POST /webhooks/github does end to end, against both storage providers: a completed check suite makes the
/// inbox poll GitHub's API (its enqueued poll runs on the hub). How a delivery maps to evidence is in
/// <see cref="GitHubWebhookTests"/>; the rules all receivers share are in <see cref="Webhooks.ReceiverRuleTests"/>.
/// </summary>
public abstract class GitHubWebhookReceiptTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Slug = "ci";
    private const string Stack = GitHubWebhookTests.Stack;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> PostAsync(string body, string eventName, string? signature, string? delivery = null)
    {
        var headers = new List<(string, string)> { ("X-GitHub-Event", eventName), ("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString()), ("X-GitHub-Hook-ID", "292430182") };
        if (signature is not null)
        {
            headers.Add(("X-Hub-Signature-256", signature));
        }

        return hub.Client.PostWebhookAsync("github", body, [.. headers]);
    }

    [Fact]
    public async Task CompletedCheckSuite_PollsTheRepositoryAndVerifiesFromTheApi()
    {
        var repo = Payloads.Json("github", "check_suite.completed.json");
        repo["repository"]!["full_name"] = "octo-org/octo-repo";
        var body = repo.ToJsonString();
        GitHubStubs.SuccessfulRuns(hub.GitHub, "octo-org", "octo-repo", "test.yml");

        var response = await PostAsync(body, "check_suite", TestSignatures.GitHub(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verified = await hub.Client.VerifiedAsync(Slug);
        Assert.Equal(GitHubStubs.RunUrl, Assert.Single(verified.Evidence).Url);
    }
}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class GitHubWebhookReceiptTests_Sqlite(SqliteServicesHub hub) : GitHubWebhookReceiptTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class GitHubWebhookReceiptTests_Postgres(PostgresServicesHub hub) : GitHubWebhookReceiptTests(hub);
