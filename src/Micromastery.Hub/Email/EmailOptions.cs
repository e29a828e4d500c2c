using System.ComponentModel.DataAnnotations;

namespace Micromastery.Hub.Email;

internal enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

internal sealed class SmtpOptions
{
    /// <summary>The SMTP server; unset means the weekly email is not sent (preview still works).</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Optional; set it with user secrets or an environment variable.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;
}

internal sealed class EmailOptions
{
    public const string Section = "Email";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Sender, e.g. <c>Micromastery Hub &lt;hub@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>
    /// Recipients; each gets the weekly email once per ISO week. <c>Email__To=me@example.com</c> (one address, or
    /// several separated by commas or semicolons) and <c>Email__To__0</c>, <c>Email__To__1</c> … both work.
    /// </summary>
    public List<string> To { get; set; } = [];

    /// <summary>The addresses of <c>Email:To</c> given as one value (the binder ignores a plain value for a list).</summary>
    public static IEnumerable<string> SplitRecipients(string? value) =>
        (value ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Cron expression in the stack's time zone. Default: Monday 08:00.</summary>
    [Required]
    public string Schedule { get; set; } = "0 8 * * 1";

    /// <summary>
    /// A claim older than this without reaching the SMTP transaction belongs to a sender that died
    /// before anything went out: another sender may take it over.
    /// </summary>
    [Range(10, 86_400)]
    public int ClaimTimeoutSeconds { get; set; } = 300;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Smtp.Host) && !string.IsNullOrWhiteSpace(From) && To.Count > 0;
}
