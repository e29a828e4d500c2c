using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// Storage unavailable: a valid event gets 503 with Retry-After (the provider retries), never a 2xx; readiness
/// says so; the retry is stored once storage is back. The same for every receiver.
/// </summary>
[Trait(Needs.Key, Needs.Postgres)]
public sealed class StorageDownTests
{
    public static TheoryData<string> Providers => new(WebhookDelivery.Providers);

    /// <summary>The webhook secrets of every receiver (Stripe's comes with every hub).</summary>
    // Every registered provider's secret, from its kit: a provider added later is covered without editing this list.
    private static readonly Dictionary<string, string?> Secrets =
        WebhookKit.All.Values.SelectMany(k => k.HubSettings).ToDictionary(p => p.Key, p => p.Value);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SqliteLockedByAnotherWriter_ValidEventIs503ThenAcceptedOnceFree(string provider)
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(new Dictionary<string, string?>(Secrets) { ["Storage:SqliteBusyTimeoutSeconds"] = "1" });
        var client = factory.CreateClient();
        var delivery = WebhookDelivery.Realistic(provider);

        HttpResponseMessage whileLocked;
        await using (var holder = new SqliteConnection($"Data Source={hub.SqlitePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using var lockCommand = holder.CreateCommand();
            lockCommand.CommandText = "BEGIN EXCLUSIVE; INSERT INTO payoffs (slug, verified_at) VALUES ('lock-holder', 0);";
            await lockCommand.ExecuteNonQueryAsync();

            whileLocked = await delivery.PostAsync(client);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileLocked.StatusCode);
        Assert.True(whileLocked.Headers.RetryAfter is not null);
        Assert.Equal(0, await StoredCountAsync(factory, provider));

        var afterwards = await delivery.PostAsync(client);

        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Contains("\"stored\"", await afterwards.Content.ReadAsStringAsync());
        Assert.Equal(1, await StoredCountAsync(factory, provider));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task PostgresRefusingConnections_ValidEventIs503AndNotReadyThenAcceptedOnceBack(string provider)
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Postgres);
        var factory = hub.Start(Secrets);
        var client = factory.CreateClient();
        var delivery = WebhookDelivery.Realistic(provider);
        var database = new NpgsqlConnectionStringBuilder(hub.Postgres).Database!;

        await AllowConnectionsAsync(database, false);
        HttpResponseMessage whileDown, readyWhileDown;
        try
        {
            whileDown = await delivery.PostAsync(client);
            readyWhileDown = await client.GetAsync("/health/ready");
        }
        finally
        {
            await AllowConnectionsAsync(database, true);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown.StatusCode);
        Assert.True(whileDown.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWhileDown.StatusCode);
        Assert.Equal(0, await StoredCountAsync(factory, provider));

        var afterwards = await Eventually.ReturnsAsync(
            () => delivery.PostAsync(client),
            r => r.StatusCode == HttpStatusCode.OK, "the hub to store again once PostgreSQL is back");

        Assert.Contains("\"stored\"", await afterwards.Content.ReadAsStringAsync());
        Assert.Equal(1, await StoredCountAsync(factory, provider));
    }

    private static async Task<long> StoredCountAsync(HubFactory factory, string provider)
    {
        await using var connection = await factory.Services.GetRequiredService<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE provider = @provider", new { provider });
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
