using System.Net;
using System.Text.Json.Nodes;
using Micromastery.Hub.LemonSqueezy;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.LemonSqueezy;

/// <summary>
/// What only POST /webhooks/lemonsqueezy does (a paid test order is evidence, a refund revokes it), against both
/// storage providers. The rules every receiver shares run for it in <see cref="Webhooks.ReceiverRuleTests"/>.
/// </summary>
public abstract class LemonSqueezyWebhookTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Slug = "lemon-test-order";
    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - slug: lemon-test-order
            name: A Lemon Squeezy test order
            layer: C
            started: 2026-11-20
            checks:
              - type: lemonsqueezy.test-order
                product: "227816"
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> PostAsync(string body) => new WebhookDelivery(LemonSqueezyWebhookSource.Name, body).PostAsync(hub.Client);

    [Fact]
    public async Task PaidTestOrder_VerifiesWithTheOrderAsEvidence()
    {
        var response = await PostAsync(Payloads.Text("lemonsqueezy", "order_created.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verified = await hub.Client.VerifiedAsync(Slug);
        var evidence = Assert.Single(verified.Evidence);
        Assert.Equal("lemonsqueezy", evidence.Source);
        Assert.Equal("4817353", evidence.ExternalId);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 15, 41, 7, TimeSpan.Zero), evidence.ObservedAt);
        Assert.StartsWith("https://app.lemonsqueezy.com/my-orders/", evidence.Url);
    }

    [Fact]
    public async Task RefundOfTheOrder_DisputesThePayoff()
    {
        await PostAsync(Payloads.Text("lemonsqueezy", "order_created.json"));
        await hub.Client.VerifiedAsync(Slug);

        var response = await PostAsync(Payloads.Text("lemonsqueezy", "order_refunded.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var m = await Eventually.ReturnsAsync(() => hub.Client.MicromasteryAsync(Slug), r => r.Disputed, "the payoff disputed");
        Assert.Equal(PayoffStates.Disputed, m.Payoff);
        Assert.NotNull(m.VerifiedAt);
    }

    [Fact]
    public async Task LiveOrder_IsStoredButProvesNothing()
    {
        var live = Payloads.Json("lemonsqueezy", "order_created.json");
        live["meta"]!["test_mode"] = false;

        var response = await PostAsync(live.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, note) = await hub.ProcessedAsync(LemonSqueezyWebhookSource.Name);
        Assert.Contains("live-mode", note);
        Assert.Equal(PayoffStates.Pending, (await hub.Client.MicromasteryAsync(Slug)).Payoff);
    }

    [Fact]
    public async Task ResendWithOtherBytes_IsStoredOnce()
    {
        var body = Payloads.Text("lemonsqueezy", "order_created.json");

        var first = await PostAsync(body);
        var resent = await PostAsync(JsonNode.Parse(body)!.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Contains("duplicate", await resent.Content.ReadAsStringAsync());
        Assert.Equal(1, await hub.StoredCountAsync(LemonSqueezyWebhookSource.Name));
    }
}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class LemonSqueezyWebhookTests_Sqlite(SqliteServicesHub hub) : LemonSqueezyWebhookTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class LemonSqueezyWebhookTests_Postgres(PostgresServicesHub hub) : LemonSqueezyWebhookTests(hub);
