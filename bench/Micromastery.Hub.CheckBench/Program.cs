using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Payoffs;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

// Cost of one poll of each check type, in the hub (client, resilience pipeline, parsing, ledger and status
// writes on SQLite) against a local stand-in serving the recorded payloads, so the network is not measured:
// dotnet run -c Release --project bench/Micromastery.Hub.CheckBench [polls per check]
var polls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
using var services = WireMockServer.Start();
const string Publication = "pub_00000000-0000-0000-0000-000000000000";
string Fixture(string service, string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", service, name));
void Serve(string path, string body, string contentType = "application/json") =>
    services.Given(Request.Create().WithPath(path).UsingGet()).AtPriority(5)
        .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", contentType).WithHeader("ETag", "\"v1\"").WithBody(body));
string StripeList(string name, string url) =>
    $$"""{"object":"list","data":[{{Fixture("stripe", name).Replace("\"status\": \"requires_payment_method\"", "\"status\": \"succeeded\"", StringComparison.Ordinal)}}],"has_more":false,"url":"{{url}}"}""";

var runs = System.Text.Json.Nodes.JsonNode.Parse(Fixture("github", "workflow-runs.json"))!;
runs["workflow_runs"]![0]!["conclusion"] = "success";
runs["workflow_runs"]![0]!["status"] = "completed";
runs["workflow_runs"]![0]!["repository"]!["full_name"] = "octo-org/octo-repo";
runs["workflow_runs"]![0]!["updated_at"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
Serve("/repos/octo-org/octo-repo/actions/runs", runs.ToJsonString());
// GitHub's steady state: the ETag matches and the answer is a 304 that does not count against the limit.
services.Given(Request.Create().WithPath("/repos/octo-org/octo-repo/actions/runs").WithHeader("If-None-Match", "\"v1\"").UsingGet()).AtPriority(1)
    .RespondWith(Response.Create().WithStatusCode(304).WithHeader("ETag", "\"v1\""));
Serve("/v1/payment_intents", StripeList("payment_intent.json", "/v1/payment_intents"));
Serve("/v1/payment_links", StripeList("payment_link.json", "/v1/payment_links"));
Serve($"/v2/publications/{Publication}/posts", Fixture("beehiiv", "posts.json"));
Serve($"/v2/publications/{Publication}/subscriptions", Fixture("beehiiv", "subscriptions.json"));
Serve("/v2/event-types", Fixture("calcom", "event-types.json"));
Serve("/v2/bookings", Fixture("calcom", "bookings.json"));
Serve("/feed", Fixture("web", "substack-feed.xml"), "application/rss+xml");
services.Given(Request.Create().WithPath("/feed").WithHeader("If-None-Match", "\"v1\"").UsingGet()).AtPriority(1)
    .RespondWith(Response.Create().WithStatusCode(304).WithHeader("ETag", "\"v1\""));
Serve("/page", "<h1>Ship micromasteries</h1>", "text/html");

var directory = Directory.CreateTempSubdirectory("hub-checkbench-").FullName;
await File.WriteAllTextAsync(Path.Combine(directory, "stack.yml"), $"""
    timeZone: UTC
    micromasteries:
      - slug: bench
        name: One check of every type
        layer: A
        started: 2026-11-20
        checks:
          - type: github.workflow-run
            repo: octo-org/octo-repo
          - type: stripe.test-payment
          - type: stripe.payment-link
          - type: newsletter.published
            publication: {Publication}
          - type: newsletter.subscribers
            publication: {Publication}
            min: 1
          - id: feed
            type: newsletter.published
            feed: {services.Url}/feed
          - type: calcom.event-types
            tiers: 15:free,30:paid
          - type: calcom.booking
          - type: http.page
            url: {services.Url}/page
    """);

// The bench has no solution-relative content root for the factory to find; the temp folder serves.
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_MICROMASTERY_HUB", directory);
await using var hub = new BenchHub(directory, new Dictionary<string, string?>
{
    ["GitHub:Token"] = "github-token-for-bench", ["GitHub:BaseUrl"] = services.Url + "/",
    ["Stripe:ApiKey"] = "sk_test_bench", ["Stripe:ApiBase"] = services.Url,
    ["CalCom:ApiKey"] = "cal_bench", ["CalCom:BaseUrl"] = services.Url + "/",
    ["Beehiiv:ApiKey"] = "beehiiv_bench", ["Beehiiv:BaseUrl"] = services.Url + "/",
    ["Polling:CatchUp"] = "false",
});
var runner = hub.Services.GetRequiredService<CheckRunner>();
var checks = new[] { "github.workflow-run", "stripe.test-payment", "stripe.payment-link", "newsletter.published", "newsletter.subscribers", "feed", "calcom.event-types", "calcom.booking", "http.page" };

Console.WriteLine($"{polls} polls per check after 20 warm-up polls; SQLite; stand-in on localhost");
Console.WriteLine($"{"check",-24} {"state",-10} {"calls/poll",10} {"of them 304",11} {"mean ms",8} {"p99 ms",8}");
foreach (var check in checks)
{
    CheckRunResult? result = null;
    for (var i = 0; i < 20; i++)
    {
        result = await runner.RunAsync("bench", check, CancellationToken.None);
    }

    var before = services.LogEntries.Count();
    var times = new double[polls];
    for (var i = 0; i < polls; i++)
    {
        var started = Stopwatch.GetTimestamp();
        result = await runner.RunAsync("bench", check, CancellationToken.None);
        times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    Array.Sort(times);
    var answered = services.LogEntries.Skip(before).ToList();
    var calls = answered.Count / (double)polls;
    var notModified = answered.Count(e => Convert.ToInt32(e.ResponseMessage.StatusCode, CultureInfo.InvariantCulture) == 304) / (double)polls;
    Console.WriteLine($"{check,-24} {result?.State,-10} {calls,10:F1} {notModified,11:F1} {times.Average(),8:F2} {times[(int)Math.Ceiling(polls * 0.99) - 1],8:F2}");
}

Directory.Delete(directory, recursive: true);

internal sealed class BenchHub(string directory, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<CheckRunner> // any type of the hub assembly names its entry point
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", Path.Combine(directory, "data"));
        builder.UseSetting("Stack:Path", Path.Combine(directory, "stack.yml"));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
