using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Webhooks;

[Trait(Needs.Key, Needs.Host)]
public sealed class RestartTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task EventStoredButNotProcessedBeforeAStop_IsProcessedAfterStartUp(StorageProvider provider)
    {
        await using var hub = await DedicatedHub.CreateAsync(provider);
        var first = hub.Start();
        first.CreateClient(); // starts the hub: the schema is migrated
        var paymentIntent = StripeEvents.NewId("pi_");
        var body = StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent);
        await using (var connection = await first.Services.GetRequiredService<HubDatabase>().OpenAsync())
        {
            await first.DisposeAsync();

            // What the inbox had committed and acknowledged when the process died, before any job ran.
            await connection.ExecuteAsync(
                "INSERT INTO inbox_events (provider, event_id, event_type, received_at, body) VALUES ('stripe', @id, 'payment_intent.succeeded', @at, @body)",
                new { id = "evt_" + paymentIntent, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), body });
        }

        var second = hub.Start().CreateClient();

        var verified = await second.VerifiedAsync("stripe-payment-link");
        Assert.Equal(paymentIntent, Assert.Single(verified.Evidence).ExternalId);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task FirstVerificationTime_SurvivesARestart(StorageProvider provider)
    {
        await using var hub = await DedicatedHub.CreateAsync(provider);
        var first = hub.Start();
        var body = StripeEvents.PaymentIntentSucceeded();
        await first.CreateClient().PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
        var before = await first.CreateClient().VerifiedAsync("stripe-payment-link");
        await first.DisposeAsync();

        var after = await hub.Start().CreateClient().MicromasteryAsync("stripe-payment-link");

        Assert.Equal(PayoffStates.Verified, after.Payoff);
        Assert.Equal(before.VerifiedAt, after.VerifiedAt);
    }
}
