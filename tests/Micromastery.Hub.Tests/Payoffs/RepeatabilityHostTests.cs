using System.Text.Json.Nodes;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.GitHub;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// Repeatability in the <c>/api/stack</c> JSON from real deliveries and polls, on both storage providers. On the hub's
/// services without a host: deliveries are mapped and recorded as the inbox does, polls run the check's job body, manual
/// evidence goes through the recorder the endpoint calls (its 400 for an over-long context is in
/// <see cref="Access.ProblemAnswerTests"/>).
/// </summary>
public abstract class RepeatabilityHostTests(ServiceStandIns hub) : IAsyncLifetime
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
        JsonNode.Parse(await hub.StackJsonAsync())!["micromasteries"]!.AsArray().Single(m => m!["slug"]!.GetValue<string>() == slug)!;

    [Fact]
    public async Task TwoPaymentsThroughTwoPaymentLinks_DemonstrateRepeatability()
    {
        foreach (var link in new[] { "plink_1SoloCoaching", "plink_1TemplatePack" })
        {
            await hub.Hub.ApplyWebhookAsync("stripe", "checkout.session.completed",
                StripeEvents.CheckoutSessionCompleted(paymentIntentId: StripeEvents.NewId("pi_"), paymentLink: link));
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
        await hub.Hub.ApplyWebhookAsync("stripe", "checkout.session.completed",
            StripeEvents.CheckoutSessionCompleted(paymentIntentId: StripeEvents.NewId("pi_"), paymentLink: "plink_1SoloCoaching"));

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

        var recorder = hub.Service<ManualEvidenceRecorder>();
        var first = await recorder.RecordAsync("perfect-omelette", new ManualEvidence(null, null, "for my sister", "family dinner"), CancellationToken.None);
        var second = await recorder.RecordAsync("perfect-omelette", new ManualEvidence(null, "https://example.com/brunch.jpg", null, "café brunch shift"), CancellationToken.None);
        var tooLong = await recorder.RecordAsync("perfect-omelette", new ManualEvidence(null, null, "x", new string('c', 201)), CancellationToken.None);
        var repeatability = (await MicromasteryAsync("perfect-omelette"))["repeatability"]!;

        Assert.True(first.CheckId is not null && second.CheckId is not null);
        Assert.Equal(("context", null), (tooLong.Field, tooLong.CheckId));
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

[Collection(StandInsCollection.Name)]
public sealed class RepeatabilityHostTests_Sqlite(ServiceStandIns hub) : RepeatabilityHostTests(hub);

[Trait(Needs.Key, Needs.Postgres)]
public sealed class RepeatabilityHostTests_Postgres(PostgresServiceStandIns hub) : RepeatabilityHostTests(hub), IClassFixture<PostgresServiceStandIns>;
