using System.Net;
using Microsoft.Data.Sqlite;
using Npgsql;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>Storage unavailable: a valid event gets 503 (the provider retries), never a 2xx; readiness says so.</summary>
public sealed class StorageDownTests
{
    [Fact]
    public async Task SqliteLockedByAnotherWriter_ValidEventIs503ThenAcceptedOnceFree()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var client = hub.Start(new Dictionary<string, string?> { ["Storage:SqliteBusyTimeoutSeconds"] = "1" }).CreateClient();
        var body = StripeEvents.PaymentIntentSucceeded();
        var signature = StripeEvents.Sign(body, HubFactory.StripeSecret);

        HttpResponseMessage whileLocked;
        await using (var holder = new SqliteConnection($"Data Source={hub.SqlitePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using var lockCommand = holder.CreateCommand();
            lockCommand.CommandText = "BEGIN EXCLUSIVE; INSERT INTO payoffs (slug, verified_at) VALUES ('lock-holder', 0);";
            await lockCommand.ExecuteNonQueryAsync();

            whileLocked = await client.PostWebhookAsync("stripe", body, ("Stripe-Signature", signature));
        }

        var afterwards = await client.PostWebhookAsync("stripe", body, ("Stripe-Signature", signature));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileLocked.StatusCode);
        Assert.True(whileLocked.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Contains("\"stored\"", await afterwards.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostgresRefusingConnections_ValidEventIs503AndNotReady()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Postgres);
        var client = hub.Start().CreateClient();
        var body = StripeEvents.PaymentIntentSucceeded();
        var signature = StripeEvents.Sign(body, HubFactory.StripeSecret);
        var database = new NpgsqlConnectionStringBuilder(hub.Postgres).Database!;

        await AllowConnectionsAsync(database, false);
        HttpResponseMessage whileDown, readyWhileDown;
        try
        {
            whileDown = await client.PostWebhookAsync("stripe", body, ("Stripe-Signature", signature));
            readyWhileDown = await client.GetAsync("/health/ready");
        }
        finally
        {
            await AllowConnectionsAsync(database, true);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWhileDown.StatusCode);
        var afterwards = await Eventually.ReturnsAsync(
            () => client.PostWebhookAsync("stripe", body, ("Stripe-Signature", signature)),
            r => r.StatusCode == HttpStatusCode.OK, "the hub to store again once PostgreSQL is back");
        Assert.Contains("\"stored\"", await afterwards.Content.ReadAsStringAsync());
    }

    private static async Task AllowConnectionsAsync(string database, bool allow)
    {
        await using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
        await admin.OpenAsync();
        await using var command = admin.CreateCommand();
        command.CommandText = $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {(allow ? "true" : "false")};" +
            (allow ? "" : $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid();");
        await command.ExecuteNonQueryAsync();
    }
}
