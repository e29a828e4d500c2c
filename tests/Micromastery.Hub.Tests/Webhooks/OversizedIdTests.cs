using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>Ids too long to store are refused at the door, so they never share (and fail) another delivery's commit.</summary>
public abstract class OversizedIdTests(ServicesHub hub) : IAsyncLifetime
{
    public Task InitializeAsync() => hub.ResetServicesAsync(HubFixture.DefaultStack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GitHubDeliveryIdOf6000Characters_Is400AndTheBurstBesideItIsStored()
    {
        const string ping = """{"zen":"Keep it logically awesome.","hook_id":1}""";
        var longDelivery = new string('d', 6000);
        var stripeBodies = Enumerable.Range(0, 400).Select(_ => StripeEvents.PaymentIntentSucceeded()).ToList();

        // The long deliveries are spread through the burst so they land in the same group commits as valid ones.
        var stripe = stripeBodies.Select(body => hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)))).ToList();
        var longOnes = Enumerable.Range(0, 8).Select(i => hub.Client.PostWebhookAsync("github", ping,
            ("X-GitHub-Event", "ping"), ("X-GitHub-Delivery", longDelivery + i), ("X-Hub-Signature-256", TestSignatures.GitHub(ping)))).ToList();
        var responses = await Task.WhenAll(stripe);
        var refused = await Task.WhenAll(longOnes);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(400L, await hub.StoredCountAsync("stripe"));
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal("event id (delivery id) is 6001 characters; at most 255", await Problem.DetailAsync(refused[0]));
        Assert.Equal(0L, await hub.StoredCountAsync("github"));
    }

    [Fact]
    public async Task StripeEventIdOf6000Characters_Is400()
    {
        var body = JsonNode.Parse(StripeEvents.PaymentIntentSucceeded())!;
        body["id"] = "evt_" + new string('e', 6000);
        var text = body.ToJsonString();

        var response = await hub.Client.PostWebhookAsync("stripe", text, ("Stripe-Signature", StripeEvents.Sign(text, HubFactory.StripeSecret)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("event id (delivery id) is 6004 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0L, await hub.StoredCountAsync("stripe"));
    }

    [Fact]
    public async Task DeliveryIdOf255Characters_IsStored()
    {
        const string ping = """{"zen":"Design for failure.","hook_id":1}""";

        var response = await hub.Client.PostWebhookAsync("github", ping,
            ("X-GitHub-Event", "ping"), ("X-GitHub-Delivery", new string('d', 255)), ("X-Hub-Signature-256", TestSignatures.GitHub(ping)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class OversizedIdTests_Sqlite(SqliteServicesHub hub) : OversizedIdTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class OversizedIdTests_Postgres(PostgresServicesHub hub) : OversizedIdTests(hub);
