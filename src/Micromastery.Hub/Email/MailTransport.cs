using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Micromastery.Hub.Email;

/// <summary>The seam to the SMTP server (an external service): tests wrap it to simulate a crash.</summary>
public interface IMailTransport
{
    /// <summary>
    /// Connects and authenticates, then calls <paramref name="beforeData"/>; sends only when it returns
    /// true. Returns whether the message was handed to the server.
    /// </summary>
    Task<bool> SendAsync(MimeMessage message, Func<CancellationToken, Task<bool>> beforeData, CancellationToken cancellationToken);
}

public sealed class MailKitTransport(IOptionsMonitor<EmailOptions> options) : IMailTransport
{
    public async Task<bool> SendAsync(MimeMessage message, Func<CancellationToken, Task<bool>> beforeData, CancellationToken cancellationToken)
    {
        var smtp = options.CurrentValue.Smtp;
        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        var security = smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Email:Smtp:Host is not set"), smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        }

        if (!await beforeData(cancellationToken))
        {
            await client.DisconnectAsync(true, CancellationToken.None);
            return false;
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, CancellationToken.None);
        return true;
    }
}
