using Dapper;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Micromastery.Hub.Access;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Access;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>Several hubs on one PostgreSQL behind a load balancer: they start together cleanly and share a sign-in.</summary>
[Trait(Needs.Key, Needs.Postgres)]
public sealed class SeveralHubsTests
{
    [Fact]
    public async Task TwoHubsStartingTogetherOnAnEmptyDatabase_BothReady_ServerLogsNoError()
    {
        await using var hubs = await DedicatedHub.CreateAsync(StorageProvider.Postgres);
        var logFrom = await ServerLogSizeAsync();
        var a = hubs.Start();
        var b = hubs.Start();

        await Task.WhenAll(Task.Run(() => a.Server), Task.Run(() => b.Server));
        var readyA = await a.CreateClient().GetAsync("/health/ready");
        var readyB = await b.CreateClient().GetAsync("/health/ready");

        Assert.Equal(System.Net.HttpStatusCode.OK, readyA.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, readyB.StatusCode);
        // The server's log is shared by every test running beside this one (some lock tables on purpose): only the
        // lines of this hubs' database are theirs.
        var serverLog = await ServerLogSinceAsync(logFrom, Database(hubs));
        // Hangfire's installer first asks for its version table and expects "does not exist" on an empty database (one hub
        // alone logs that too); any other error is a race between the two.
        var errors = serverLog.Split('\n').Where(l => l.Contains("ERROR:", StringComparison.Ordinal)
                && !l.Contains("relation \"hangfire.schema\" does not exist", StringComparison.Ordinal))
            .ToList();
        Assert.Contains("relation \"hangfire.schema\" does not exist", serverLog, StringComparison.Ordinal);
        Assert.True(errors.Count == 0, string.Join('\n', errors) + "\n\nthe server's log:\n" + serverLog);
        Assert.DoesNotContain(a.Logs.Entries.Concat(b.Logs.Entries), e => e.Contains("exists", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task OwnerSignedInOnHubA_IsSignedInOnHubB()
    {
        await using var hubs = await DedicatedHub.CreateAsync(StorageProvider.Postgres);
        var a = hubs.Start(AccessHub.Settings);
        // Another machine: its own data folder, only the database in common.
        var elsewhere = Directory.CreateTempSubdirectory("hub-b-").FullName;
        var b = hubs.Start(new Dictionary<string, string?>(AccessHub.Settings) { ["Storage:DataDirectory"] = elsewhere });
        var onA = Visitor.StrangerThroughProxy(a.Server, "203.0.113.40");

        var signIn = await onA.SignInAsync(AccessHub.Username, AccessHub.Password, "/api/stack");
        var cookie = onA.CookieValue("hub_owner");
        var onB = Visitor.StrangerThroughProxy(b.Server, "203.0.113.40");
        var withCookie = await onB.GetAsync("/api/stack", "application/json", ("Cookie", $"hub_owner={cookie}"));
        var withoutCookie = await onB.GetAsync("/api/stack");

        Assert.Equal(StatusCodes.Status302Found, signIn.Status);
        Assert.NotNull(cookie);
        Assert.Equal(StatusCodes.Status200OK, withCookie.Status);
        Assert.True(withoutCookie.Denied);
    }

    /// <summary>The server's log file (pg_ctl -l, beside the data folder), read through the server as superuser.</summary>
    private static async Task<long> ServerLogSizeAsync()
    {
        await using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
        return await admin.ExecuteScalarAsync<long>("SELECT (pg_stat_file(current_setting('data_directory') || '/../log')).size");
    }

    private static string Database(DedicatedHub hubs) => new NpgsqlConnectionStringBuilder(hubs.Postgres).Database!;

    /// <summary>The lines the server logged since <paramref name="offset"/> for one database (its name follows the time and pid).</summary>
    private static async Task<string> ServerLogSinceAsync(long offset, string database)
    {
        await using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
        var size = await ServerLogSizeAsync();
        var log = await admin.ExecuteScalarAsync<string>("SELECT pg_read_file(current_setting('data_directory') || '/../log', @offset, @length)",
            new { offset, length = size - offset }) ?? "";
        return string.Join('\n', log.Split('\n').Where(l => l.Contains($"] {database} ", StringComparison.Ordinal)));
    }
}
