using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Email;

/// <summary>
/// Keeps the recurring job on the user's schedule and time zone (re-registered when the stack's
/// time zone changes) and catches up this week's email when the hub was down at send time.
/// </summary>
internal sealed partial class WeeklyEmailSchedule(
    RecurringJobSet jobs,
    IServiceProvider services,
    StackStore stack,
    IOptionsMonitor<EmailOptions> options,
    TimeProvider clock,
    ILogger<WeeklyEmailSchedule> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Register(stack.Current);
        stack.Changed += Register;
        var settings = options.CurrentValue;
        if (settings.IsConfigured && WeeklySchedule.CatchUp(settings.Schedule, stack.Current.TimeZone, clock.GetUtcNow()) is { } week)
        {
            // Harmless when the week went out already: the send record makes it a no-op.
            services.GetRequiredService<WeeklyEmailJob>().Enqueue(week, retakeFailed: false);
            LogCatchUp(week.Key);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stack.Changed -= Register;
        return Task.CompletedTask;
    }

    private void Register(StackDefinition current) =>
        jobs.Sync(RecurringJobs.WeeklyEmail, [WantedJob.Of<WeeklyEmailJob>(WeeklyEmailJob.RecurringJobId, job => job.EnqueueThisWeek(), options.CurrentValue.Schedule, current.TimeZone)]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Weekly email {Week} was due while the hub was down, or is being checked on start-up: enqueued")]
    private partial void LogCatchUp(string week);
}
