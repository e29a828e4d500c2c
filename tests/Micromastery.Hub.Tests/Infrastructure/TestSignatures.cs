using System.Security.Cryptography;
using System.Text;
using Dapper;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>The tests' own HMAC signing, independent of the hub's verifier.</summary>
public static class TestSignatures
{
    public static string HexHmac(string secret, string body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes(body)).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static string GitHub(string body, string secret = ServicesHub.GitHubSecret) => "sha256=" + HexHmac(secret, body);

    public static string CalCom(string body, string secret = ServicesHub.CalComSecret) => HexHmac(secret, body);

    public static async Task<long> StoredCountAsync(this HubFixture hub, string provider)
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE provider = @provider", new { provider });
    }

    /// <summary>State and note of the one stored event of the provider, once processed.</summary>
    public static Task<(int State, string? Note)> ProcessedAsync(this HubFixture hub, string provider) =>
        Eventually.ReturnsAsync(async () =>
        {
            await using var connection = await hub.Service<HubDatabase>().OpenAsync();
            return await connection.QuerySingleAsync<(int, string?)>("SELECT state, note FROM inbox_events WHERE provider = @provider", new { provider });
        }, r => r.Item1 != 0, $"{provider} event processed");
}
