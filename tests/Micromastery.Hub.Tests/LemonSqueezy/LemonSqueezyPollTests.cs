using Micromastery.Hub.LemonSqueezy;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.LemonSqueezy;

/// <summary>lemonsqueezy.test-order polled against an api.lemonsqueezy.com stand-in (JSON:API orders).</summary>
[Collection(StandInsCollection.Name)]
public sealed class LemonSqueezyPollTests(ServiceStandIns hub) : IAsyncLifetime
{
    private const string Slug = "lemon-test-order";

    private static string Stack(string parameters = "") => $$"""
        timeZone: UTC
        micromasteries:
          - slug: lemon-test-order
            name: A Lemon Squeezy test order
            layer: C
            started: 2026-11-20
            checks:
              - type: lemonsqueezy.test-order{{parameters}}
        """;

    public async Task InitializeAsync()
    {
        LemonSqueezyWebhookKit.Api.Reset();
        await hub.ResetServicesAsync(Stack());
    }

    public Task DisposeAsync()
    {
        LemonSqueezyWebhookKit.Api.Reset();
        return Task.CompletedTask;
    }

    private static void Serve(string path, string body, int status = 200) =>
        LemonSqueezyWebhookKit.Api.Given(Request.Create().WithPath(path).UsingGet()
                .WithHeader("Authorization", $"Bearer {LemonSqueezyWebhookKit.TestApiKey}")
                .WithHeader("Accept", "application/vnd.api+json"))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/vnd.api+json").WithBody(body));

    [Fact]
    public async Task PaidTestOrders_HoldAndTwoVariantsDemonstrateRepeatability()
    {
        Serve("/v1/orders", Payloads.Text("lemonsqueezy", "orders.json"));

        var result = await hub.RunCheckAsync(Slug, LemonSqueezyTestOrderCheck.Name);

        Assert.Equal(CheckStates.Holds, result!.State);
        var m = await hub.VerifiedAsync(Slug);
        // The pending order and the live one are no evidence.
        Assert.Equal(["4817353", "4818120"], m.Evidence.Select(e => e.ExternalId).Order());
        Assert.Equal(RepeatabilityStates.Demonstrated, m.Repeatability!.State);
        Assert.Equal(["product 227816 / variant 253457", "product 227816 / variant 253460"], m.Repeatability.Contexts.Select(c => c.Context));
    }

    [Fact]
    public async Task OrdersOfAnotherProduct_ArePending()
    {
        await hub.ResetServicesAsync(Stack("\n        product: \"999\""));
        Serve("/v1/orders", Payloads.Text("lemonsqueezy", "orders.json"));

        var result = await hub.RunCheckAsync(Slug, LemonSqueezyTestOrderCheck.Name);

        Assert.True(result!.State == CheckStates.Pending, result.Message);
    }

    [Fact]
    public async Task WithoutAKey_TheCheckWaitsForWebhooks()
    {
        hub.SetSetting<LemonSqueezyOptions>("LemonSqueezy:ApiKey", null);
        CheckRunResult? result;
        try
        {
            result = await hub.RunCheckAsync(Slug, LemonSqueezyTestOrderCheck.Name);
        }
        finally
        {
            hub.SetSetting<LemonSqueezyOptions>("LemonSqueezy:ApiKey", LemonSqueezyWebhookKit.TestApiKey);
        }

        Assert.Equal(CheckStates.Pending, result!.State);
        Assert.Contains("waiting for a webhook", result.Message);
        Assert.Empty(LemonSqueezyWebhookKit.Api.LogEntries);
    }

    [Fact]
    public async Task RejectedKey_IsNotConfigured()
    {
        Serve("/v1/orders", """{"jsonapi":{"version":"1.0"},"errors":[{"detail":"Unauthenticated.","status":"401","title":"Unauthorized"}]}""", 401);

        var result = await hub.RunCheckAsync(Slug, LemonSqueezyTestOrderCheck.Name);

        Assert.Equal(CheckStates.NotConfigured, result!.State);
        Assert.Contains("LemonSqueezy:ApiKey", result.Message);
    }

    [Fact]
    public async Task ServerError_IsUnknownNeverPending()
    {
        Serve("/v1/orders", "{}", 500);

        var result = await hub.RunCheckAsync(Slug, LemonSqueezyTestOrderCheck.Name);

        Assert.Equal(CheckStates.Unknown, result!.State);
    }

    [Fact]
    public async Task Reconfirming_ARefundedOrder_DisputesThePayoff()
    {
        Serve("/v1/orders", Payloads.Text("lemonsqueezy", "orders.json"));
        await hub.RunCheckAsync(Slug, LemonSqueezyTestOrderCheck.Name);
        await hub.VerifiedAsync(Slug);
        Serve("/v1/orders/4817353", Payloads.Text("lemonsqueezy", "order-refunded-api.json"));
        Serve("/v1/orders/4818120", Payloads.Text("lemonsqueezy", "order-paid-api.json").Replace("\"4817353\"", "\"4818120\"", StringComparison.Ordinal));

        await hub.Service<Reconfirmer>().RunAsync(Slug, CancellationToken.None);

        var m = await hub.MicromasteryAsync(Slug);
        Assert.Equal("gone", m.Evidence.Single(e => e.ExternalId == "4817353").Recheck);
        Assert.Equal("confirmed", m.Evidence.Single(e => e.ExternalId == "4818120").Recheck);
    }
}
