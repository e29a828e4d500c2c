using System.Net;
using System.Text.Json.Nodes;
using Hangfire;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Re-confirmation through the running hub: the recurring job's failure under Hangfire's retry filter, and the route.
/// What a re-confirmation decides is in <see cref="ReconfirmationTests"/>, without a host.
/// </summary>
public abstract class ReconfirmationJobTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
            checks:
              - type: stripe.test-payment
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private static void Json(WireMockServer server, string path, string body, int status = 200, params (string Name, string Value)[] headers)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        foreach (var (name, value) in headers)
        {
            response = response.WithHeader(name, value);
        }

        server.Given(Request.Create().WithPath(path).UsingGet()).AtPriority(1).RespondWith(response);
    }

    private async Task<string> PaidAsync()
    {
        var id = StripeEvents.NewId("pi_");
        var pi = StripeEvents.Fixture("payment_intent");
        pi["id"] = id;
        pi["status"] = "succeeded";
        pi["amount"] = 100;
        pi["amount_received"] = 100;
        pi["livemode"] = false;
        Json(hub.Stripe, "/v1/payment_intents", new JsonObject { ["object"] = "list", ["data"] = new JsonArray(pi), ["has_more"] = false, ["url"] = "/v1/payment_intents" }.ToJsonString());
        Assert.Equal(CheckStates.Holds, (await hub.RunCheckAsync("stripe-payment-link", "stripe.test-payment"))!.State);
        hub.Stripe.Reset();
        return id;
    }

    [Fact]
    public async Task FailingReconfirmation_WhoseRetryWouldComeAfterItsNextScheduledRun_IsNotRetried()
    {
        var everyTwoMinutes = Stack.Replace("  - staple: stripe-payment-link\n    started: 2026-11-20\n",
            "  - staple: stripe-payment-link\n    started: 2026-11-20\n    reconfirm: \"*/2 * * * *\"\n", StringComparison.Ordinal);
        Assert.NotEqual(Stack, everyTwoMinutes);
        await hub.ResetServicesAsync(everyTwoMinutes);
        var id = await PaidAsync();
        Json(hub.Stripe, $"/v1/payment_intents/{id}", """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests."}}""", 429, ("Retry-After", "600"));

        hub.Service<IRecurringJobManager>().Trigger(ReconfirmJob.IdFor("stripe-payment-link"));

        var monitor = hub.Service<JobStorage>().GetMonitoringApi();
        var failed = await Eventually.ReturnsAsync(
            () => Task.FromResult(monitor.FailedJobs(0, 100).Where(j => j.Value.Job?.Type == typeof(ReconfirmJob)).ToList()), f => f.Count > 0, "the failed re-confirmation");
        Assert.All(failed, f => Assert.Contains("next scheduled run", f.Value.Reason, StringComparison.Ordinal)); // every 2 minutes asks before a 10-minute Retry-After would
        Assert.DoesNotContain(monitor.ScheduledJobs(0, 100), j => j.Value.Job?.Type == typeof(ReconfirmJob));
    }

    [Fact]
    public async Task UnknownMicromastery_Is404()
    {
        var response = await hub.Client.PostAsync("/api/micromasteries/nope/reconfirm", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class ReconfirmationJobTests_Sqlite(SqliteServicesHub hub) : ReconfirmationJobTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class ReconfirmationJobTests_Postgres(PostgresServicesHub hub) : ReconfirmationJobTests(hub);
