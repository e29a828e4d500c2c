using Dapper;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Micromastery.Hub.Email;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Email;

/// <summary>
/// The weekly email to a real SMTP server (maildev), exactly once per ISO week and recipient, on both storage providers:
/// the sender and the job on the hub's services, without a host. Send-now through the API and a crash under the running
/// job are in <see cref="WeeklySendJobTests"/>.
/// </summary>
public abstract class WeeklySendTests(EmailStore store) : IAsyncLifetime
{
    private HubServices hub = null!;

    public async Task InitializeAsync()
    {
        hub = await store.CreateAsync();
        await store.MailDev.ClearAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A week of its own for each test, so no other test's send records or emails can be mistaken for its own.</summary>
    private static IsoWeek WeekOf([System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        new(2025, 1 + (int)(BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(test))) % 52));

    private async Task<List<System.Text.Json.Nodes.JsonNode>> EmailsOfAsync(IsoWeek week) =>
        (await store.MailDev.EmailsAsync()).Where(e => e!["subject"]!.GetValue<string>().Contains(week.Key, StringComparison.Ordinal)).Select(e => e!).ToList();

    private WeeklySender SenderWith(IMailTransport transport) =>
        ActivatorUtilities.CreateInstance<WeeklySender>(hub.Services, transport);

    [Fact]
    public async Task ProcessKilledAfterSendBeforeRecord_RestartSendsNothing()
    {
        var week = WeekOf();
        // The exact state a kill -9 between the SMTP "250 OK" and the 'sent' update leaves: the message is
        // delivered, and its row says 'sending' with no error, claimed by a process that is gone.
        var transport = hub.Service<IMailTransport>();
        foreach (var to in EmailHubFixture.To)
        {
            var address = MailboxAddress.Parse(to).Address;
            await InsertRowAsync(week, address, SendStates.Sending, claimedAgo: TimeSpan.FromMinutes(30));
            var message = new MimeMessage { Subject = $"Micromastery week {week.Key}: sent before the crash" };
            message.From.Add(MailboxAddress.Parse(EmailHubFixture.From));
            message.To.Add(MailboxAddress.Parse(to));
            message.Body = new TextPart("plain") { Text = "hello" };
            await transport.SendAsync(message, _ => Task.FromResult(true), CancellationToken.None);
        }

        var results = await hub.Service<WeeklySender>().SendWeekAsync(week, retakeFailed: false, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(SendOutcome.Uncertain, r.Outcome));
        Assert.Equal(2, (await EmailsOfAsync(week)).Count);
    }

    [Fact]
    public async Task ProcessKilledAfterClaimBeforeSmtp_IsTakenOverAndSentOnce()
    {
        var week = WeekOf();
        await InsertRowAsync(week, "solo@example.test", SendStates.Claimed, claimedAgo: TimeSpan.FromHours(1));
        await InsertRowAsync(week, "coach@example.test", SendStates.Claimed, claimedAgo: TimeSpan.FromSeconds(1));

        var results = await hub.Service<WeeklySender>().SendWeekAsync(week, retakeFailed: false, CancellationToken.None);

        Assert.True(SendOutcome.Sent == results.Single(r => r.Recipient == "solo@example.test").Outcome, string.Join("; ", results));
        // A fresh claim belongs to a sender that may still be connecting: left to it.
        Assert.Equal(SendOutcome.OwnedElsewhere, results.Single(r => r.Recipient == "coach@example.test").Outcome);
        var emails = await EmailsOfAsync(week);
        Assert.Equal("solo@example.test", Assert.Single(emails)!["to"]![0]!["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task TransientRefusal_IsRetriedAndSentOnce()
    {
        var week = WeekOf();
        var refused = await SenderWith(new Refuses(SmtpStatusCode.MailboxBusy)).SendWeekAsync(week, retakeFailed: false, CancellationToken.None);
        var retried = await hub.Service<WeeklySender>().SendWeekAsync(week, retakeFailed: false, CancellationToken.None);
        var third = await hub.Service<WeeklySender>().SendWeekAsync(week, retakeFailed: false, CancellationToken.None);

        Assert.All(refused, r => Assert.Equal(SendOutcome.Retrying, r.Outcome));
        Assert.All(retried, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        Assert.All(third, r => Assert.Equal(SendOutcome.AlreadySent, r.Outcome));
        Assert.Equal(2, (await EmailsOfAsync(week)).Count);
    }

    [Fact]
    public async Task TransientRefusal_MakesTheJobThrowForHangfiresRetry()
    {
        var week = WeekOf();
        var job = ActivatorUtilities.CreateInstance<WeeklyEmailJob>(hub.Services, SenderWith(new Refuses(SmtpStatusCode.ServiceNotAvailable)));

        var error = await Assert.ThrowsAsync<WeeklyEmailRetryException>(() => job.SendWeekAsync(week.Key, false, CancellationToken.None));

        Assert.Contains("421", error.Message);
    }

    [Fact]
    public async Task PermanentRefusal_StopsWithTheReason_UntilTheOperatorRetries()
    {
        var week = WeekOf();
        var job = ActivatorUtilities.CreateInstance<WeeklyEmailJob>(hub.Services, SenderWith(new Refuses(SmtpStatusCode.MailboxUnavailable)));

        var error = await Assert.ThrowsAsync<WeeklyEmailStoppedException>(() => job.SendWeekAsync(week.Key, false, CancellationToken.None));
        var unchanged = await hub.Service<WeeklySender>().SendWeekAsync(week, retakeFailed: false, CancellationToken.None);
        var afterFix = await hub.Service<WeeklySender>().SendWeekAsync(week, retakeFailed: true, CancellationToken.None);

        Assert.Contains("recipient", error.Message);
        Assert.Contains("550", error.Message);
        Assert.All(unchanged, r => Assert.Equal(SendOutcome.Failed, r.Outcome));
        Assert.All(unchanged, r => Assert.Contains("refused", r.Reason));
        Assert.All(afterFix, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        Assert.Equal(2, (await EmailsOfAsync(week)).Count);
    }

    [Fact]
    public async Task ManySendersAtOnce_SendOncePerRecipient()
    {
        var week = WeekOf();
        var sender = hub.Service<WeeklySender>();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => sender.SendWeekAsync(week, false, CancellationToken.None))));

        Assert.Equal(2, results.SelectMany(r => r).Count(r => r.Outcome == SendOutcome.Sent));
        Assert.Equal(2, (await EmailsOfAsync(week)).Count);
    }

    private async Task InsertRowAsync(IsoWeek week, string recipient, string state, TimeSpan claimedAgo)
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO weekly_sends (iso_week, recipient, state, message_id, claimed_by, claimed_at) VALUES (@week, @recipient, @state, 'm@x', 'a-dead-process', @at)",
            new { week = week.Key, recipient, state, at = DateTimeOffset.UtcNow.Subtract(claimedAgo).ToUnixTimeMilliseconds() });
    }

    /// <summary>An SMTP server that refuses the recipient with the given status, after the sender marked the row 'sending'.</summary>
    private sealed class Refuses(SmtpStatusCode status) : IMailTransport
    {
        public async Task<bool> SendAsync(MimeMessage message, Func<CancellationToken, Task<bool>> beforeData, CancellationToken cancellationToken)
        {
            await beforeData(cancellationToken);
            throw new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, status, message.To.Mailboxes.First(), $"{(int)status} mailbox says no");
        }
    }
}

public sealed class WeeklySendTests_Sqlite(SqliteEmailStore store) : WeeklySendTests(store), IClassFixture<SqliteEmailStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class WeeklySendTests_Postgres(PostgresEmailStore store) : WeeklySendTests(store), IClassFixture<PostgresEmailStore>;
