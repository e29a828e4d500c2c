using System.Text.Json.Nodes;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// Ids too long to store are refused at the door, so they never share (and fail) another delivery's commit. On the
/// hub's services without a host: the receiver's opening rules, then the inbox's group commit (<see cref="WebhookInbox"/>).
/// </summary>
public abstract class OversizedIdTests(StoreFixture store) : IAsyncLifetime
{
    private HubServices _hub = null!;
    private WebhookInbox _inbox = null!;

    public async Task InitializeAsync()
    {
        _hub = await store.CreateAsync(settings: new Dictionary<string, string?> { ["GitHub:WebhookSecret"] = ServicesHub.GitHubSecret });
        _inbox = await WebhookInbox.StartAsync(_hub);
    }

    public async Task DisposeAsync() => await _inbox.DisposeAsync();

    private async Task<long> StoredCountAsync(string provider)
    {
        await using var connection = await _hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE provider = @provider", new { provider });
    }

    [Fact]
    public async Task GitHubDeliveryIdOf6000Characters_Is400AndTheBurstBesideItIsStored()
    {
        const string ping = """{"zen":"Keep it logically awesome.","hook_id":1}""";
        var longDelivery = new string('d', 6000);
        var stripeBodies = Enumerable.Range(0, 400).Select(_ => StripeEvents.PaymentIntentSucceeded()).ToList();

        // The long deliveries are sent amid the burst, so they would land in the same group commits as valid ones.
        var stripe = stripeBodies.Select(body => Task.Run(() => _inbox.ReceiveAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret))))).ToList();
        var longOnes = Enumerable.Range(0, 8).Select(i => Task.Run(() => _inbox.ReceiveAsync("github", ping,
            ("X-GitHub-Event", "ping"), ("X-GitHub-Delivery", longDelivery + i), ("X-Hub-Signature-256", TestSignatures.GitHub(ping))))).ToList();
        var receipts = await Task.WhenAll(stripe);
        var refused = await Task.WhenAll(longOnes);

        Assert.All(receipts, r => Assert.Equal(InboxWriteResult.Stored, r.Written));
        Assert.Equal(400L, await StoredCountAsync("stripe"));
        Assert.All(refused, r => Assert.Equal(400, r.Status));
        Assert.Equal("event id (delivery id) is 6001 characters; at most 255", refused[0].Reason);
        Assert.Equal(0L, await StoredCountAsync("github"));
    }

    [Fact]
    public async Task StripeEventIdOf6000Characters_Is400()
    {
        var body = JsonNode.Parse(StripeEvents.PaymentIntentSucceeded())!;
        body["id"] = "evt_" + new string('e', 6000);
        var text = body.ToJsonString();

        var receipt = await _inbox.ReceiveAsync("stripe", text, ("Stripe-Signature", StripeEvents.Sign(text, HubFactory.StripeSecret)));

        Assert.Equal(400, receipt.Status);
        Assert.Contains("event id (delivery id) is 6004 characters", receipt.Reason, StringComparison.Ordinal);
        Assert.Equal(0L, await StoredCountAsync("stripe"));
    }

    [Fact]
    public async Task DeliveryIdOf255Characters_IsStored()
    {
        const string ping = """{"zen":"Design for failure.","hook_id":1}""";

        var receipt = await _inbox.ReceiveAsync("github", ping,
            ("X-GitHub-Event", "ping"), ("X-GitHub-Delivery", new string('d', 255)), ("X-Hub-Signature-256", TestSignatures.GitHub(ping)));

        Assert.Equal(200, receipt.Status);
        Assert.Equal(InboxWriteResult.Stored, receipt.Written);
        Assert.Equal(1L, await StoredCountAsync("github"));
    }
}

public sealed class OversizedIdTests_Sqlite(SqliteStore store) : OversizedIdTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class OversizedIdTests_Postgres(PostgresStore store) : OversizedIdTests(store), IClassFixture<PostgresStore>;
