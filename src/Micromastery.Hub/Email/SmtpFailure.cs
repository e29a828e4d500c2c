using MailKit.Net.Smtp;
using MailKit.Security;

namespace Micromastery.Hub.Email;

/// <summary>Sorts SMTP errors: transient ones are retried with backoff, permanent ones stop with their reason.</summary>
internal static class SmtpFailure
{
    public static bool IsPermanent(Exception exception) => exception switch
    {
        SmtpCommandException command => (int)command.StatusCode >= 500,
        AuthenticationException or SslHandshakeException or NotSupportedException => true,
        _ => false,
    };

    /// <summary>True when the server answered with a refusal: nothing was delivered, whatever the phase.</summary>
    public static bool IsRefusal(Exception exception) => exception is SmtpCommandException;

    public static string Describe(Exception exception) => exception switch
    {
        SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } c => $"recipient {c.Mailbox} refused by the server ({(int)c.StatusCode}): {c.Message}",
        SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } c => $"sender {c.Mailbox} refused by the server ({(int)c.StatusCode}): {c.Message} (check Email:From)",
        SmtpCommandException c => $"server refused the message ({(int)c.StatusCode}): {c.Message}",
        AuthenticationException a => $"authentication refused: {a.Message} (check Email:Smtp:Username and Email:Smtp:Password)",
        SslHandshakeException s => $"TLS handshake failed: {s.Message} (check Email:Smtp:Security and the port)",
        NotSupportedException n => $"{n.Message} (check Email:Smtp:Security)",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
