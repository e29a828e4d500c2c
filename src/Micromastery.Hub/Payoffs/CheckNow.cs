using Hangfire;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>What "run this check now" came to.</summary>
internal enum CheckNowResult
{
    Started,
    NoSuchMicromastery,
    NotPolled,
}

/// <summary>
/// "Run a check now", one method: it triggers the check's own recurring job, so the run takes the same path,
/// retries and status writes as a scheduled poll (and two clicks never run two polls side by side).
/// </summary>
internal sealed partial class CheckNow(StackStore stack, CheckTypeRegistry types, IRecurringJobManager jobs, ILogger<CheckNow> logger)
{
    public CheckNowResult Run(string slug, string checkId)
    {
        if (stack.Current.Find(slug) is not { } micromastery)
        {
            return CheckNowResult.NoSuchMicromastery;
        }

        if (micromastery.Checks.FirstOrDefault(c => c.Id == checkId) is not { } check || types.ScheduleOf(micromastery, check) is null)
        {
            return CheckNowResult.NotPolled;
        }

        jobs.Trigger(CheckJob.IdFor(slug, checkId));
        LogTriggered(slug, checkId);
        return CheckNowResult.Started;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Check {CheckId} of {Slug} started now by the owner")]
    private partial void LogTriggered(string slug, string checkId);
}
