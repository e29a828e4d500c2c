using Dapper;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Payoffs;

/// <summary>Writes the outcome of the last poll of a check (the <c>check_status</c> table the report reads).</summary>
internal sealed class CheckStatusStore(HubDatabase database)
{
    /// <param name="succeededAt">Set when the service gave a trustworthy answer; kept from earlier polls otherwise.</param>
    public async Task WriteAsync(string slug, string checkId, string state, string? message, DateTimeOffset attemptedAt, DateTimeOffset? succeededAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO check_status (slug, check_id, state, message, last_attempt_at, last_success_at) VALUES (@slug, @checkId, @state, @message, @attempt, @success) " +
            "ON CONFLICT (slug, check_id) DO UPDATE SET state = excluded.state, message = excluded.message, last_attempt_at = excluded.last_attempt_at, " +
            "last_success_at = COALESCE(excluded.last_success_at, check_status.last_success_at)",
            new
            {
                slug,
                checkId,
                state,
                message,
                attempt = attemptedAt.ToUnixTimeMilliseconds(),
                success = succeededAt?.ToUnixTimeMilliseconds(),
            });
        await ChangeCounter.BumpAsync(connection, null, cancellationToken); // the public page shows when a check was last asked

    }
}
