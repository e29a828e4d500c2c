using MailKit.Net.Smtp;
using MailKit.Security;

namespace Micromastery.Hub.Email;

/// <summary>Opens a connection to the configured SMTP server and logs in when a user name is set: the one way the hub reaches it.</summary>
internal static class SmtpConnection
{
    public static async Task<SmtpClient> OpenAsync(SmtpOptions smtp, CancellationToken cancellationToken, int? timeoutMs = null)
    {
        var client = new SmtpClient { Timeout = timeoutMs ?? smtp.TimeoutSeconds * 1000 };
        try
        {
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

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
