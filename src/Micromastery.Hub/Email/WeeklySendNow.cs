using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Email;

/// <summary>"Send now" queued: this week's send job, or null when sending is not configured.</summary>
internal sealed record QueuedSend(IsoWeek Week, string JobId);

/// <summary>
/// "Send this week's email now", one path for the JSON API and the /email page. It queues the weekly job rather than
/// sending inside the request: the job is the one place that retries a transient SMTP refusal with backoff, holds the
/// week's lock against a second sender, and shows a stopped send in /hangfire — a send inside the request had none of
/// that (a "retried" answer that nothing retried). The exactly-once ledger still decides what goes out.
/// </summary>
internal sealed partial class WeeklySendNow(WeeklyEmailJob job, WeeklyEmailRenderer renderer, IOptionsMonitor<EmailOptions> options, ILogger<WeeklySendNow> logger)
{
    public const string NotConfigured = "the weekly email is not configured: set Email:Smtp:Host, Email:From and Email:To";

    /// <param name="retakeFailed">Also retry recipients whose send failed for good (after a fix).</param>
    public QueuedSend? Queue(bool retakeFailed)
    {
        if (!options.CurrentValue.IsConfigured)
        {
            LogNotConfigured();
            return null;
        }

        var week = renderer.CurrentWeek();
        var queued = new QueuedSend(week, job.Enqueue(week, retakeFailed));
        LogQueued(week.Key, queued.JobId);
        return queued;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Weekly email {Week} queued to send now (job {JobId})")]
    private partial void LogQueued(string week, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Send now asked, but the weekly email is not configured: nothing queued")]
    private partial void LogNotConfigured();
}
