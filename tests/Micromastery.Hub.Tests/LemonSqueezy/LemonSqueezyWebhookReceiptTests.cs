using System.Net;
using System.Text.Json.Nodes;
using Micromastery.Hub.LemonSqueezy;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.LemonSqueezy;

/// <summary>
/// What only POST /webhooks/lemonsqueezy does over HTTP, against both storage providers: a resend is the same
/// delivery whatever its bytes. How a delivery maps to evidence is in <see cref="LemonSqueezyWebhookTests"/>; the rules
/// every receiver shares run for it in <see cref="Webhooks.ReceiverRuleTests"/>.
/// </summary>
public abstract class LemonSqueezyWebhookReceiptTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Stack = LemonSqueezyWebhookTests.Stack;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> PostAsync(string body) => new WebhookDelivery(LemonSqueezyWebhookSource.Name, body).PostAsync(hub.Client);

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
public sealed class LemonSqueezyWebhookReceiptTests_Sqlite(SqliteServicesHub hub) : LemonSqueezyWebhookReceiptTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class LemonSqueezyWebhookReceiptTests_Postgres(PostgresServicesHub hub) : LemonSqueezyWebhookReceiptTests(hub);
