using System.Net;
using System.Net.Http.Json;
using Dapper;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Micromastery.Hub.Email;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Email;

/// <summary>The weekly email to a real SMTP server (maildev), exactly once per ISO week and recipient, on both storage providers.</summary>
public abstract class WeeklySendTests(EmailHubFixture hub) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await hub.ResetAsync();
        await hub.MailDev.ClearAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private IsoWeek Week => hub.Service<WeeklyEmailRenderer>().CurrentWeek();

    /// <summary>
    /// A week of its own for each test that drives the sender directly, so nothing else in the shared hub
    /// (a start-up catch-up, another test's retry) can touch its send records or its emails.
    /// </summary>
    private static IsoWeek WeekOf([System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        new(2025, 1 + (int)(BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(test))) % 52));

    private async Task<List<System.Text.Json.Nodes.JsonNode>> EmailsOfAsync(IsoWeek week) =>
        (await hub.MailDev.EmailsAsync()).Where(e => e!["subject"]!.GetValue<string>().Contains(week.Key, StringComparison.Ordinal)).Select(e => e!).ToList();

    private WeeklySender SenderWith(IMailTransport transport) =>
        ActivatorUtilities.CreateInstance<WeeklySender>(hub.Factory.Services, transport);

    [Fact]
    public async Task SendNow_DeliversOneMultipartEmailPerRecipient_AndNothingMoreThatWeek()
    {
        var paymentIntent = StripeEvents.NewId("pi_");
        var body = StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent);
        await hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
        await hub.Client.VerifiedAsync("stripe-payment-link");
        var link = $"https://dashboard.stripe.com/test/payments/{paymentIntent}";

        var response = await hub.Client.PostAsync("/api/weekly/send", null);
        var emails = await hub.MailDev.WaitForAsync(2);
        await hub.QuiesceAsync();
        var again = await hub.Client.PostAsync("/api/weekly/send", null);
        await hub.QuiesceAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        emails = await hub.MailDev.EmailsAsync();
        Assert.Equal(2, emails.Count);
        Assert.Equal(["coach@example.test", "solo@example.test"], emails.Select(e => e!["to"]![0]!["address"]!.GetValue<string>()).Order().ToArray());
        foreach (var email in emails)
        {
            Assert.Equal($"Micromastery week {Week.Key}: 1 payoff verified this week, 1 in total", email!["subject"]!.GetValue<string>());
            Assert.Equal("hub@example.test", email["from"]![0]!["address"]!.GetValue<string>());
            Assert.Contains($"href=\"{link}\"", email["html"]!.GetValue<string>());
            Assert.Contains(link, email["text"]!.GetValue<string>());
            var source = MimeMessage.Load(await hub.MailDev.Http.GetStreamAsync($"email/{email["id"]}/source"));
            var alternative = Assert.IsType<MultipartAlternative>(source.Body);
            Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType).ToArray());
            Assert.StartsWith($"weekly.{Week.Key.ToLowerInvariant()}.", source.MessageId);
        }

        var records = await hub.Client.GetFromJsonAsync<List<WeeklySendRecord>>($"/api/weekly/sends?week={Week.Key}", HubClientExtensions.Json);
        Assert.All(records!, r => Assert.Equal(SendStates.Sent, r.State));
        Assert.Equal(2, records!.Count);
    }

    [Fact]
    public async Task CrashDuringTheSmtpTransaction_IsNeverResent()
    {
        var week = WeekOf();
        var crashing = SenderWith(new DiesAfterSending(hub.Service<IMailTransport>()));

        var first = await crashing.SendWeekAsync(week, retakeFailed: false, CancellationToken.None);
        var second = await hub.Service<WeeklySender>().SendWeekAsync(week, retakeFailed: false, CancellationToken.None);
        hub.Service<WeeklyEmailJob>().Enqueue(week, retakeFailed: false);
        await hub.QuiesceAsync();

        Assert.All(first, r => Assert.True(SendOutcome.Uncertain == r.Outcome, r.ToString()));
        Assert.All(second, r => Assert.Equal(SendOutcome.Uncertain, r.Outcome));
        Assert.All(second, r => Assert.Contains("delivery uncertain", r.Reason));
        Assert.Equal(2, (await EmailsOfAsync(week)).Count);
    }

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
        var job = ActivatorUtilities.CreateInstance<WeeklyEmailJob>(hub.Factory.Services, SenderWith(new Refuses(SmtpStatusCode.ServiceNotAvailable)));

        var error = await Assert.ThrowsAsync<WeeklyEmailRetryException>(() => job.SendWeekAsync(week.Key, false, CancellationToken.None));

        Assert.Contains("421", error.Message);
    }

    [Fact]
    public async Task PermanentRefusal_StopsWithTheReason_UntilTheOperatorRetries()
    {
        var week = WeekOf();
        var job = ActivatorUtilities.CreateInstance<WeeklyEmailJob>(hub.Factory.Services, SenderWith(new Refuses(SmtpStatusCode.MailboxUnavailable)));

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

    /// <summary>Hands the message to the server, then the connection dies before the sender learns it went through.</summary>
    private sealed class DiesAfterSending(IMailTransport inner) : IMailTransport
    {
        public async Task<bool> SendAsync(MimeMessage message, Func<CancellationToken, Task<bool>> beforeData, CancellationToken cancellationToken)
        {
            await inner.SendAsync(message, beforeData, cancellationToken);
            throw new IOException("simulated crash: connection lost after the message was accepted");
        }
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

[Collection(EmailSqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class WeeklySendTests_Sqlite(EmailSqliteHub hub) : WeeklySendTests(hub);

[Collection(EmailPostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class WeeklySendTests_Postgres(EmailPostgresHub hub) : WeeklySendTests(hub);
