using Microsoft.Extensions.Options;
using MimeKit;

namespace Micromastery.Hub.Email;

/// <summary>The seam to the SMTP server (an external service): tests wrap it to simulate a crash.</summary>
internal interface IMailTransport
{
    /// <summary>
    /// Connects and authenticates, then calls <paramref name="beforeData"/>; sends only when it returns
    /// true. Returns whether the message was handed to the server.
    /// </summary>
    Task<bool> SendAsync(MimeMessage message, Func<CancellationToken, Task<bool>> beforeData, CancellationToken cancellationToken);
}

internal sealed class MailKitTransport(IOptionsMonitor<EmailOptions> options) : IMailTransport
{
    public async Task<bool> SendAsync(MimeMessage message, Func<CancellationToken, Task<bool>> beforeData, CancellationToken cancellationToken)
    {
        using var client = await SmtpConnection.OpenAsync(options.CurrentValue.Smtp, cancellationToken);

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
