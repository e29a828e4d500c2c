using Hangfire;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Email;

/// <summary>
/// The weekly email's Hangfire jobs. The recurring job fixes the ISO week and enqueues the send, so a
/// retry days later still sends that week's email (or finds it sent). Transient SMTP failures throw
/// and are retried with backoff; permanent ones, uncertain deliveries and broken templates fail the
/// job at once with their reason, visible in /hangfire.
/// </summary>
internal sealed partial class WeeklyEmailJob(
    WeeklySender sender,
    IBackgroundJobClient jobs,
    StackStore stack,
    IOptionsMonitor<EmailOptions> options,
    TimeProvider clock,
    ILogger<WeeklyEmailJob> logger)
{
    public const string RecurringJobId = "weekly-email";

    /// <summary>The recurring job: enqueues this week's send.</summary>
    [JobDisplayName("Weekly email: start this week's send")]
    public string? EnqueueThisWeek()
    {
        if (!options.CurrentValue.IsConfigured)
        {
            LogNotConfigured();
            return null;
        }

        return Enqueue(IsoWeek.Of(clock.GetUtcNow(), stack.Current.TimeZone), retakeFailed: false);
    }

    public string Enqueue(IsoWeek week, bool retakeFailed) =>
        jobs.Enqueue<WeeklyEmailJob>(job => job.SendWeekAsync(week.Key, retakeFailed, CancellationToken.None));

    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [30, 60, 120, 300, 600, 1200, 1800, 3600],
        ExceptOn = [typeof(WeeklyEmailStoppedException), typeof(TemplateException)])]
    [DisableConcurrentExecution("weekly-email:{0}", 600)]
    [JobDisplayName("Weekly email {0}")]
    public async Task<string> SendWeekAsync(string week, bool retakeFailed, CancellationToken cancellationToken)
    {
        if (!IsoWeek.TryParse(week, out var isoWeek))
        {
            throw new WeeklyEmailStoppedException($"'{week}' is not an ISO week like 2026-W48");
        }

        var results = await sender.SendWeekAsync(isoWeek, retakeFailed, cancellationToken);
        var summary = string.Join("; ", results.Select(r => $"{r.Recipient}: {r.Outcome}{(r.Reason is null ? "" : $" ({r.Reason})")}"));
        if (results.Any(r => r.Outcome == SendOutcome.Retrying))
        {
            throw new WeeklyEmailRetryException($"weekly email {week} will be retried: {summary}");
        }

        if (results.Any(r => r.Outcome is SendOutcome.Failed or SendOutcome.Uncertain))
        {
            throw new WeeklyEmailStoppedException($"weekly email {week} stopped: {summary}");
        }

        return summary;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Weekly email not configured (Email:Smtp:Host, Email:From, Email:To): nothing sent")]
    private partial void LogNotConfigured();
}
