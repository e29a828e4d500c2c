using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Npgsql;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// Ready means able to store: a read-only or locked SQLite file and a read-only PostgreSQL answer 503 with the
/// reason, and the same process is ready and storing again within seconds of storage taking writes, no restart.
/// </summary>
[Trait(Needs.Key, Needs.Postgres)]
public sealed class ReadinessTests
{
    /// <summary>
    /// Read-only for real even as root (where chmod does not stop writes): the file gets the immutable attribute
    /// (chattr +i), which the kernel enforces for every user; SQLite then opens it read-only.
    /// </summary>
    [Fact]
    public async Task SqliteFileReadOnlyAtStartUp_NotReadyWithReason_HealsWithoutRestartOnceWritable()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        await using (var first = hub.Start())
        {
            Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().GetAsync("/health/ready")).StatusCode);
        }

        SqliteConnection.ClearAllPools();
        Chattr("+i", hub.SqlitePath);
        try
        {
            var factory = hub.Start();
            var client = factory.CreateClient();

            var ready = await client.GetAsync("/health/ready");
            var delivery = await PostAsync(client);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy: Sqlite storage cannot store: the SQLite file is read-only", await ready.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, delivery.StatusCode);

            Chattr("-i", hub.SqlitePath);
            var healing = Stopwatch.StartNew();
            await Eventually.ReturnsAsync(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "ready again without a restart", seconds: 10);
            var stored = await Eventually.ReturnsAsync(() => PostAsync(client), r => r.StatusCode == HttpStatusCode.OK, "deliveries stored again", seconds: 10);

            Assert.True(healing.Elapsed < TimeSpan.FromSeconds(5), $"healed in {healing.Elapsed}");
            Assert.Contains("\"stored\"", await stored.Content.ReadAsStringAsync());
        }
        finally
        {
            Chattr("-i", hub.SqlitePath);
        }
    }

    [Fact]
    public async Task SqliteFileLockedByAnotherWriter_NotReadyWithReason_ReadyOnceReleased()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var client = hub.Start(new Dictionary<string, string?> { ["Storage:SqliteBusyTimeoutSeconds"] = "1" }).CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        HttpResponseMessage whileLocked;
        await using (var holder = new SqliteConnection($"Data Source={hub.SqlitePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using var hold = holder.CreateCommand();
            hold.CommandText = "BEGIN EXCLUSIVE; INSERT INTO payoffs (slug, verified_at) VALUES ('lock-holder', 0);";
            await hold.ExecuteNonQueryAsync();
            whileLocked = await client.GetAsync("/health/ready");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileLocked.StatusCode);
        Assert.Equal("Unhealthy: Sqlite storage cannot store: the SQLite file is locked by another writer", await whileLocked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task PostgresReadOnly_NotReadyWithReason_ReadyAgainOnceWritable()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Postgres);
        var client = hub.Start().CreateClient();
        var database = new NpgsqlConnectionStringBuilder(hub.Postgres).Database!;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        HttpResponseMessage ready, delivery;
        await SetReadOnlyAsync(database, true);
        try
        {
            // The first request after the sessions were ended may meet a dead pooled session (also a 503): wait for the reason.
            ready = await Eventually.ReturnsAsync(() => client.GetAsync("/health/ready"),
                r => r.Content.ReadAsStringAsync().Result.Contains("read-only", StringComparison.Ordinal), "the read-only reason", seconds: 10);
            delivery = await PostAsync(client);
        }
        finally
        {
            await SetReadOnlyAsync(database, false);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy: Postgres storage cannot store: PostgreSQL is read-only", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, delivery.StatusCode);
        await Eventually.ReturnsAsync(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "ready again", seconds: 10);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client)
    {
        var body = StripeEvents.PaymentIntentSucceeded();
        return client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
    }

    /// <summary>New sessions start read-only (as on a standby), and the hub's open sessions are ended so its pool reconnects.</summary>
    private static async Task SetReadOnlyAsync(string database, bool readOnly)
    {
        await using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
        await admin.OpenAsync();
        await using var command = admin.CreateCommand();
        command.CommandText = $"ALTER DATABASE \"{database}\" SET default_transaction_read_only = {(readOnly ? "on" : "off")};" +
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid();";
        await command.ExecuteNonQueryAsync();
    }

    private static void Chattr(string flag, string path)
    {
        using var chattr = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
        chattr.WaitForExit();
        Assert.True(chattr.ExitCode == 0, $"chattr {flag} {path}: {chattr.StandardError.ReadToEnd()}");
    }
}
