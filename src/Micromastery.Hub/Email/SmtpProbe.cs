using Micromastery.Hub.CommandLine;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Micromastery.Hub.Email;

/// <summary>The <c>config</c> verb's lines for the weekly email: settings, then a real connection (and login) to the SMTP server.</summary>
internal sealed class SmtpProbe(IOptionsMonitor<EmailOptions> options) : IConfigurationProbe
{
    public async Task<IReadOnlyList<ProbeResult>> ProbeAsync(CancellationToken cancellationToken)
    {
        var email = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(email.Smtp.Host))
        {
            return [new ProbeResult("email", "Email:Smtp:Host", false, "not set: the weekly email is not sent (preview still works)")];
        }

        var results = new List<ProbeResult>
        {
            Address("Email:From", email.From),
            email.To.Count == 0
                ? new ProbeResult("email", "Email:To", false, "no recipients")
                : Address("Email:To", string.Join(", ", email.To)),
        };
        var scheduleProblem = Stack.Schedule.Problem(email.Schedule);
        results.Add(new ProbeResult("email", "Email:Schedule", scheduleProblem is null, scheduleProblem ?? email.Schedule));

        var target = $"{email.Smtp.Host}:{email.Smtp.Port} ({email.Smtp.Security})";
        try
        {
            using var client = await SmtpConnection.OpenAsync(email.Smtp, cancellationToken, timeoutMs: 10_000);
            await client.DisconnectAsync(true, cancellationToken);
            results.Add(new ProbeResult("email", target, true, string.IsNullOrEmpty(email.Smtp.Username) ? "connected" : "connected and logged in"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            results.Add(new ProbeResult("email", target, false, SmtpFailure.Describe(ex)));
        }

        return results;
    }

    private static ProbeResult Address(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new ProbeResult("email", key, false, "not set");
        }

        return InternetAddressList.TryParse(value, out var list) && list.Mailboxes.Any()
            ? new ProbeResult("email", key, true, value)
            : new ProbeResult("email", key, false, $"'{value}' is not an email address");
    }
}
