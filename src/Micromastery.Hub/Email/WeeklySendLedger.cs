using Dapper;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Email;

internal static class SendStates
{
    public const string Claimed = "claimed";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Retrying = "retrying";
    public const string Failed = "failed";
}

public sealed record WeeklySendRecord(string IsoWeek, string Recipient, string State, string MessageId, int Attempts, DateTimeOffset ClaimedAt, DateTimeOffset? SentAt, string? Error);

/// <summary>
/// The weekly_sends table: one row per ISO week and recipient. Every transition is a conditional
/// update on the owner's token (compare-and-swap), so of any number of senders — retries, restarts,
/// other hub processes — exactly one owns a row at a time and only the owner moves it forward.
/// </summary>
internal sealed class WeeklySendLedger(HubDatabase database, TimeProvider clock)
{
    /// <summary>
    /// Takes the row for this sender: inserts it, or takes over one that is free to retry (a refusal
    /// for now, a claim whose owner died before the SMTP transaction, or — when asked — a failure).
    /// </summary>
    public async Task<bool> TryClaimAsync(string week, string recipient, string messageId, string owner, TimeSpan claimTimeout, bool retakeFailed, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        var args = new { week, recipient, messageId, owner, now, staleBefore = now - (long)claimTimeout.TotalMilliseconds, retakeFailed = retakeFailed ? 1 : 0 };
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO weekly_sends (iso_week, recipient, state, message_id, claimed_by, claimed_at, attempts) " +
            "VALUES (@week, @recipient, 'claimed', @messageId, @owner, @now, 1) ON CONFLICT (iso_week, recipient) DO NOTHING", args);
        if (inserted == 1)
        {
            return true;
        }

        return await connection.ExecuteAsync(
            "UPDATE weekly_sends SET state = 'claimed', claimed_by = @owner, claimed_at = @now, attempts = attempts + 1 " +
            "WHERE iso_week = @week AND recipient = @recipient AND (state = 'retrying' OR (state = 'claimed' AND claimed_at < @staleBefore) OR (state = 'failed' AND @retakeFailed = 1))",
            args) == 1;
    }

    /// <summary>Written just before the SMTP transaction: from here on a crash leaves the outcome unknown.</summary>
    public Task<bool> MarkSendingAsync(string week, string recipient, string owner, CancellationToken ct) =>
        MoveAsync(week, recipient, owner, SendStates.Claimed, SendStates.Sending, null, ct);

    public Task<bool> MarkSentAsync(string week, string recipient, string owner, CancellationToken ct) =>
        MoveAsync(week, recipient, owner, SendStates.Sending, SendStates.Sent, null, ct);

    /// <summary>The server refused for now (nothing was delivered): the next attempt may claim the row.</summary>
    public Task<bool> ReleaseAsync(string week, string recipient, string owner, string fromState, string error, CancellationToken ct) =>
        MoveAsync(week, recipient, owner, fromState, SendStates.Retrying, error, ct);

    /// <summary>The server refused for good (nothing was delivered).</summary>
    public Task<bool> FailAsync(string week, string recipient, string owner, string fromState, string error, CancellationToken ct) =>
        MoveAsync(week, recipient, owner, fromState, SendStates.Failed, error, ct);

    /// <summary>Keeps the row in 'sending' (the outcome is unknown) and says why, for the operator.</summary>
    public Task<bool> MarkUncertainAsync(string week, string recipient, string owner, string error, CancellationToken ct) =>
        MoveAsync(week, recipient, owner, SendStates.Sending, SendStates.Sending, error, ct);

    public async Task<IReadOnlyList<WeeklySendRecord>> ListAsync(string? week, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(
            "SELECT iso_week AS IsoWeek, recipient AS Recipient, state AS State, message_id AS MessageId, attempts AS Attempts, claimed_at AS ClaimedAt, sent_at AS SentAt, error AS Error " +
            "FROM weekly_sends WHERE @week IS NULL OR iso_week = @week ORDER BY iso_week DESC, recipient", new { week });
        return rows.Select(r => new WeeklySendRecord(r.IsoWeek, r.Recipient, r.State, r.MessageId, r.Attempts,
            DateTimeOffset.FromUnixTimeMilliseconds(r.ClaimedAt), r.SentAt is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : null, r.Error)).ToList();
    }

    private async Task<bool> MoveAsync(string week, string recipient, string owner, string from, string to, string? error, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await connection.ExecuteAsync(
            "UPDATE weekly_sends SET state = @to, error = @error, sent_at = CASE WHEN @to = 'sent' THEN @now ELSE sent_at END " +
            "WHERE iso_week = @week AND recipient = @recipient AND claimed_by = @owner AND state = @from",
            new { week, recipient, owner, from, to, error, now }) == 1;
    }

    private sealed class Row
    {
        public string IsoWeek { get; set; } = "";
        public string Recipient { get; set; } = "";
        public string State { get; set; } = "";
        public string MessageId { get; set; } = "";
        public int Attempts { get; set; }
        public long ClaimedAt { get; set; }
        public long? SentAt { get; set; }
        public string? Error { get; set; }
    }
}
