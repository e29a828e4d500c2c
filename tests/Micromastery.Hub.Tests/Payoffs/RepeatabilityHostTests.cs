using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.GitHub;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>Repeatability in /api/stack from real deliveries and polls, on both storage providers.</summary>
public abstract class RepeatabilityHostTests(ServicesHub hub) : IAsyncLifetime
{
    private static readonly string Started = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string Stack = $"""
        timeZone: UTC
        micromasteries:
          - staple: stripe-payment-link
            started: {Started}
            checks:
              - type: stripe.test-payment
          - slug: cron
            name: Cron job with GitHub Actions
            layer: A
            started: {Started}
            checks:
              - type: github.workflow-run
                id: report
                repo: me/weekly-report
              - type: github.workflow-run
                id: other
                repo: me/invoices
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonNode> MicromasteryAsync(string slug) =>
        (await hub.Client.GetFromJsonAsync<JsonObject>("/api/stack"))!["micromasteries"]!.AsArray().Single(m => m!["slug"]!.GetValue<string>() == slug)!;

    [Fact]
    public async Task TwoPaymentsThroughTwoPaymentLinks_DemonstrateRepeatability()
    {
        foreach (var link in new[] { "plink_1SoloCoaching", "plink_1TemplatePack" })
        {
            var body = StripeEvents.CheckoutSessionCompleted(paymentIntentId: StripeEvents.NewId("pi_"), paymentLink: link);
            await hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
            await hub.QuiesceAsync();
        }

        var repeatability = (await MicromasteryAsync("stripe-payment-link"))["repeatability"]!;

        Assert.Equal(RepeatabilityStates.Demonstrated, repeatability["state"]!.GetValue<string>());
        Assert.Equal(["payment link plink_1SoloCoaching", "payment link plink_1TemplatePack"],
            repeatability["contexts"]!.AsArray().Select(c => c!["context"]!.GetValue<string>()));
        Assert.NotNull(repeatability["demonstratedAt"]);
    }

    [Fact]
    public async Task OnePaymentLink_IsNotYet()
    {
        var body = StripeEvents.CheckoutSessionCompleted(paymentIntentId: StripeEvents.NewId("pi_"), paymentLink: "plink_1SoloCoaching");
        await hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
        await hub.QuiesceAsync();

        var repeatability = (await MicromasteryAsync("stripe-payment-link"))["repeatability"]!;

        Assert.Equal(RepeatabilityStates.NotYet, repeatability["state"]!.GetValue<string>());
        Assert.Single(repeatability["contexts"]!.AsArray());
    }

    [Fact]
    public async Task GreenRunsPolledInTwoRepositories_DemonstrateRepeatability()
    {
        Serve("me", "weekly-report", 7001);
        Serve("me", "invoices", 7002);

        await hub.RunCheckAsync("cron", "report");
        await hub.RunCheckAsync("cron", "other");
        var repeatability = (await MicromasteryAsync("cron"))["repeatability"]!;

        Assert.Equal(RepeatabilityStates.Demonstrated, repeatability["state"]!.GetValue<string>());
        Assert.Equal(["me/invoices", "me/weekly-report"], repeatability["contexts"]!.AsArray().Select(c => c!["context"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task ManualEvidenceForTwoCustomers_DemonstratesRepeatability()
    {
        await hub.ResetServicesAsync($$"""
            timeZone: UTC
            micromasteries:
              - staple: perfect-omelette
                started: {{Started}}
                checks:
                  - type: manual
            """);

        var first = await hub.Client.PostAsJsonAsync("/api/micromasteries/perfect-omelette/evidence", new { note = "for my sister", context = "family dinner" });
        var second = await hub.Client.PostAsJsonAsync("/api/micromasteries/perfect-omelette/evidence", new { url = "https://example.com/brunch.jpg", context = "café brunch shift" });
        var tooLong = await hub.Client.PostAsJsonAsync("/api/micromasteries/perfect-omelette/evidence", new { note = "x", context = new string('c', 201) });
        var repeatability = (await MicromasteryAsync("perfect-omelette"))["repeatability"]!;

        Assert.True(first.IsSuccessStatusCode && second.IsSuccessStatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(RepeatabilityStates.Demonstrated, repeatability["state"]!.GetValue<string>());
        Assert.Equal(["family dinner", "café brunch shift"], repeatability["contexts"]!.AsArray().Select(c => c!["context"]!.GetValue<string>()));
    }

    private void Serve(string owner, string repo, long runId)
    {
        var document = JsonNode.Parse(GitHubStubs.Runs(owner, repo))!;
        document["workflow_runs"]![0]!["id"] = runId;
        hub.GitHub.Given(Request.Create().WithPath(GitHubStubs.RunsPath(owner, repo, null)).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(document.ToJsonString()));
    }
}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class RepeatabilityHostTests_Sqlite(SqliteServicesHub hub) : RepeatabilityHostTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class RepeatabilityHostTests_Postgres(PostgresServicesHub hub) : RepeatabilityHostTests(hub);
