using System.Security.Cryptography;
using System.Text;
using Dapper;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Access;

/// <summary>
/// The owner's sign-in sessions, in the hub's database (migration 010): a session lives from sign-in until
/// sign-out, or at most <see cref="Lifetime"/>. The cookie carries the session id; only its hash is stored.
/// </summary>
internal sealed class OwnerSessions(HubDatabase database, TimeProvider clock)
{
    /// <summary>The longest a session lives, used or not: the cookie slides, a session does not.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>Starts a session and returns its id (for the cookie); sessions past their lifetime are swept at the same time.</summary>
    public async Task<string> StartAsync(CancellationToken ct)
    {
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM owner_sessions WHERE signed_in_at < @cutoff", new { cutoff = now - (long)Lifetime.TotalMilliseconds }, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO owner_sessions (id_hash, signed_in_at) VALUES (@hash, @now)", new { hash = Hash(id), now }, cancellationToken: ct));
        return id;
    }

    public async Task<bool> IsActiveAsync(string? id, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }

        var cutoff = clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)Lifetime.TotalMilliseconds;
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM owner_sessions WHERE id_hash = @hash AND signed_in_at >= @cutoff", new { hash = Hash(id), cutoff }, cancellationToken: ct)) > 0;
    }

    /// <summary>Ends the session: every cookie naming it is refused from now on, on every hub of this database.</summary>
    public async Task EndAsync(string? id, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(id))
        {
            return;
        }

        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM owner_sessions WHERE id_hash = @hash", new { hash = Hash(id) }, cancellationToken: ct));
    }

    private static string Hash(string id) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
