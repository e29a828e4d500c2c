using Micromastery.Hub.LemonSqueezy;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.LemonSqueezy;

/// <summary>
/// How a Lemon Squeezy delivery maps to evidence (a paid test order is evidence, a refund revokes it), as the inbox
/// applies it, on the hub's services without a host, against both storage providers. The Lemon Squeezy receipt itself
/// (its de-duplication key) is in <see cref="LemonSqueezyWebhookReceiptTests"/>; the rules every receiver shares run
/// for it in <see cref="Webhooks.ReceiverRuleTests"/>.
/// </summary>
public abstract class LemonSqueezyWebhookTests(StoreFixture store) : IAsyncLifetime
{
    private const string Slug = "lemon-test-order";
    internal const string Stack = """
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

    private HubServices _hub = null!;

    public async Task InitializeAsync() => _hub = await store.CreateAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<InboxOutcome> ApplyAsync(string body) =>
        _hub.ApplyWebhookAsync(LemonSqueezyWebhookSource.Name, System.Text.Json.Nodes.JsonNode.Parse(body)!["meta"]!["event_name"]!.GetValue<string>(), body);

    private Task<MicromasteryReport> VerifiedAsync() => _hub.MicromasteryAsync(Slug, m => m.Payoff == PayoffStates.Verified, $"{Slug} to be verified");

    [Fact]
    public async Task PaidTestOrder_VerifiesWithTheOrderAsEvidence()
    {
        await ApplyAsync(Payloads.Text("lemonsqueezy", "order_created.json"));

        var verified = await VerifiedAsync();
        var evidence = Assert.Single(verified.Evidence);
        Assert.Equal("lemonsqueezy", evidence.Source);
        Assert.Equal("4817353", evidence.ExternalId);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 15, 41, 7, TimeSpan.Zero), evidence.ObservedAt);
        Assert.StartsWith("https://app.lemonsqueezy.com/my-orders/", evidence.Url);
    }

    [Fact]
    public async Task RefundOfTheOrder_DisputesThePayoff()
    {
        await ApplyAsync(Payloads.Text("lemonsqueezy", "order_created.json"));
        await VerifiedAsync();

        await ApplyAsync(Payloads.Text("lemonsqueezy", "order_refunded.json"));

        var m = await _hub.MicromasteryAsync(Slug, r => r.Disputed, "the payoff disputed");
        Assert.Equal(PayoffStates.Disputed, m.Payoff);
        Assert.NotNull(m.VerifiedAt);
    }

    [Fact]
    public async Task LiveOrder_ProvesNothing()
    {
        var live = Payloads.Json("lemonsqueezy", "order_created.json");
        live["meta"]!["test_mode"] = false;

        var outcome = await ApplyAsync(live.ToJsonString());

        Assert.Contains("live-mode", outcome.IgnoredBecause);
        Assert.Equal(PayoffStates.Pending, (await _hub.MicromasteryAsync(Slug)).Payoff);
    }
}

public sealed class LemonSqueezyWebhookTests_Sqlite(SqliteStore store) : LemonSqueezyWebhookTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class LemonSqueezyWebhookTests_Postgres(PostgresStore store) : LemonSqueezyWebhookTests(store), IClassFixture<PostgresStore>;
