using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Micromastery.Hub.Email;

internal enum SendOutcome
{
    Sent,
    AlreadySent,
    OwnedElsewhere,
    Retrying,
    Failed,
    Uncertain,
}

internal sealed record RecipientResult(string Recipient, SendOutcome Outcome, string? Reason);

/// <summary>
/// Sends one ISO week's email to every recipient, at most once each: claim the row, mark it
/// 'sending', hand the message to SMTP, mark it 'sent'. See docs/email.md for every crash point.
/// </summary>
internal sealed partial class WeeklySender(
    WeeklyEmailRenderer renderer,
    WeeklySendLedger ledger,
    IMailTransport transport,
    IOptionsMonitor<EmailOptions> options,
    TimeProvider clock,
    ILogger<WeeklySender> logger)
{
    public async Task<IReadOnlyList<RecipientResult>> SendWeekAsync(IsoWeek week, bool retakeFailed, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.IsConfigured)
        {
            throw new WeeklyEmailStoppedException("the weekly email is not configured: set Email:Smtp:Host, Email:From and Email:To");
        }

        // Rendered before anything is claimed: a broken template fails the job and claims nothing.
        var email = await renderer.RenderAsync(week, cancellationToken);
        var from = MailboxAddress.Parse(settings.From!);
        var results = new List<RecipientResult>();
        foreach (var to in settings.To.Select(MailboxAddress.Parse).DistinctBy(a => a.Address.ToLowerInvariant()))
        {
            results.Add(await SendOneAsync(email, from, to, settings, retakeFailed, cancellationToken));
        }

        return results;
    }

    /// <summary>The same Message-Id for every attempt at one week and recipient, so a mail system that saw it once can tell.</summary>
    public static string MessageId(IsoWeek week, string recipient, string fromAddress)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipient.ToLowerInvariant())))[..16];
        var domain = fromAddress.Contains('@') ? fromAddress[(fromAddress.IndexOf('@') + 1)..] : "micromastery-hub.local";
        return $"weekly.{week.Key.ToLowerInvariant()}.{hash}@{domain}";
    }

    private async Task<RecipientResult> SendOneAsync(RenderedEmail email, MailboxAddress from, MailboxAddress to, EmailOptions settings, bool retakeFailed, CancellationToken ct)
    {
        var week = email.Week.Key;
        var recipient = to.Address.ToLowerInvariant();
        var owner = Guid.NewGuid().ToString("N");
        var messageId = MessageId(email.Week, recipient, from.Address);
        if (!await ledger.TryClaimAsync(week, recipient, messageId, owner, TimeSpan.FromSeconds(settings.ClaimTimeoutSeconds), retakeFailed, ct))
        {
            var row = (await ledger.ListAsync(week, ct)).FirstOrDefault(r => r.Recipient == recipient);
            var outcome = row?.State switch
            {
                SendStates.Sent => SendOutcome.AlreadySent,
                SendStates.Failed => SendOutcome.Failed,
                // A 'sending' row whose sender went quiet: it crashed mid-transaction, the message may be out.
                SendStates.Sending when row.Error is not null || row.ClaimedAt < clock.GetUtcNow().AddSeconds(-settings.ClaimTimeoutSeconds) => SendOutcome.Uncertain,
                _ => SendOutcome.OwnedElsewhere,
            };
            LogSkipped(week, recipient, row?.State ?? "unknown");
            var reason = outcome == SendOutcome.Uncertain
                ? row!.Error ?? $"delivery uncertain (Message-Id <{row.MessageId}>): the sender stopped during the SMTP transaction; not resent automatically"
                : row?.Error;
            return new RecipientResult(recipient, outcome, reason);
        }

        var message = Build(email, from, to, messageId);
        var sending = false;
        try
        {
            var sent = await transport.SendAsync(message, async token =>
            {
                sending = await ledger.MarkSendingAsync(week, recipient, owner, token);
                return sending;
            }, ct);
            if (!sent)
            {
                // Another sender took the claim over while this one was connecting: it sends, this one stops.
                return new RecipientResult(recipient, SendOutcome.OwnedElsewhere, null);
            }
        }
        catch (Exception ex) when (!sending || SmtpFailure.IsRefusal(ex))
        {
            var reason = SmtpFailure.Describe(ex);
            var state = sending ? SendStates.Sending : SendStates.Claimed;
            if (SmtpFailure.IsPermanent(ex))
            {
                await ledger.FailAsync(week, recipient, owner, state, reason, CancellationToken.None);
                LogFailed(week, recipient, reason);
                return new RecipientResult(recipient, SendOutcome.Failed, reason);
            }

            await ledger.ReleaseAsync(week, recipient, owner, state, reason, CancellationToken.None);
            LogRetrying(week, recipient, reason);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            return new RecipientResult(recipient, SendOutcome.Retrying, reason);
        }
        catch (Exception ex)
        {
            // The SMTP transaction started and did not finish cleanly: the server may have the message.
            // A second copy is worse than none, so the row stays 'sending' for the operator to decide.
            var reason = $"delivery uncertain (Message-Id <{messageId}>): {SmtpFailure.Describe(ex)}";
            await ledger.MarkUncertainAsync(week, recipient, owner, reason, CancellationToken.None);
            LogUncertain(week, recipient, reason);
            return new RecipientResult(recipient, SendOutcome.Uncertain, reason);
        }

        await ledger.MarkSentAsync(week, recipient, owner, CancellationToken.None);
        LogSent(week, recipient);
        return new RecipientResult(recipient, SendOutcome.Sent, null);
    }

    private static MimeMessage Build(RenderedEmail email, MailboxAddress from, MailboxAddress to, string messageId)
    {
        var message = new MimeMessage { Subject = email.Subject, MessageId = messageId };
        message.From.Add(from);
        message.To.Add(to);
        message.Headers.Add("X-Micromastery-Week", email.Week.Key);
        message.Body = new BodyBuilder { HtmlBody = email.Html, TextBody = email.Text }.ToMessageBody();
        return message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Weekly email {Week} sent to {Recipient}")]
    private partial void LogSent(string week, string recipient);

    [LoggerMessage(Level = LogLevel.Information, Message = "Weekly email {Week} to {Recipient} not sent by this run: its record is '{State}'")]
    private partial void LogSkipped(string week, string recipient, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Weekly email {Week} to {Recipient} will be retried: {Reason}")]
    private partial void LogRetrying(string week, string recipient, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Weekly email {Week} to {Recipient} failed for good: {Reason}")]
    private partial void LogFailed(string week, string recipient, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Weekly email {Week} to {Recipient}: {Reason}. It is not resent automatically; see GET /api/weekly/sends")]
    private partial void LogUncertain(string week, string recipient, string reason);
}

/// <summary>A weekly send that must not be retried automatically (configuration, permanent refusal, uncertain delivery).</summary>
internal sealed class WeeklyEmailStoppedException(string message) : Exception(message);

/// <summary>A weekly send with transient failures: Hangfire retries it with backoff.</summary>
internal sealed class WeeklyEmailRetryException(string message) : Exception(message);
