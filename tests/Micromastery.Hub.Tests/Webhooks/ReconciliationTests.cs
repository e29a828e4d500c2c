using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// Events Stripe sent while the hub was down: its event log (a WireMock stand-in serving Stripe's list shape, two
/// pages) gives them back, the inbox takes each once, marked as recovered, and a later webhook redelivery is a duplicate.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class ReconciliationTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task StripeEventsNeverReceived_RecoveredOnceAsEvidence_LaterWebhookIsADuplicate(StorageProvider provider)
    {
        using var stripe = WireMockServer.Start();
        var missed = Enumerable.Range(0, 3).Select(_ => StripeEvents.PaymentIntentSucceeded()).ToList();
        ServeEventLog(stripe, missed);
        await using var hub = await DedicatedHub.CreateAsync(provider);
        var factory = hub.Start(new Dictionary<string, string?> { ["Stripe:ApiBase"] = stripe.Url, ["Stripe:ApiKey"] = "sk_test_reconcile_0123456789" });
        var client = factory.CreateClient();

        var first = await ReconcileAsync(client);
        var second = await ReconcileAsync(client);
        var redelivery = await client.PostWebhookAsync("stripe", missed[0], ("Stripe-Signature", StripeEvents.Sign(missed[0], HubFactory.StripeSecret)));

        Assert.True(first.GetProperty("stripe").GetProperty("asked").GetBoolean());
        Assert.Equal(3, first.GetProperty("stripe").GetProperty("recovered").GetInt32());
        Assert.True(first.GetProperty("stripe").GetProperty("since").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddDays(-29));
        Assert.Equal(0, second.GetProperty("stripe").GetProperty("recovered").GetInt32());
        Assert.Equal(HttpStatusCode.OK, redelivery.StatusCode);
        Assert.Contains("duplicate", await redelivery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var connection = await factory.Services.GetRequiredService<HubDatabase>().OpenAsync();
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE provider = 'stripe' AND via = 1 AND state = 1"));
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM observations"));
        Assert.Equal("verified", (await client.StackAsync()).Micromasteries.Single().Payoff);
    }

    private static async Task<JsonElement> ReconcileAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/inbox/reconcile", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>Stripe's list object, newest first: the first page says has_more, the second is asked with starting_after.</summary>
    private static void ServeEventLog(WireMockServer stripe, List<string> events)
    {
        static string Page(IEnumerable<string> data, bool more) => new JsonObject
        {
            ["object"] = "list",
            ["url"] = "/v1/events",
            ["has_more"] = more,
            ["data"] = new JsonArray([.. data.Select(e => JsonNode.Parse(e))]),
        }.ToJsonString();

        var lastOfFirst = JsonNode.Parse(events[1])!["id"]!.GetValue<string>();
        stripe.Given(Request.Create().WithPath("/v1/events").UsingGet().WithHeader("Authorization", "Bearer sk_test_reconcile_0123456789"))
            .AtPriority(2)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Page(events.Take(2), more: true)));
        stripe.Given(Request.Create().WithPath("/v1/events").UsingGet().WithParam("starting_after", lastOfFirst))
            .AtPriority(1)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Page(events.Skip(2), more: false)));
    }
}
