using Hangfire;
using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Payoffs;

public static partial class PayoffsSetup
{
    public static IHostApplicationBuilder AddPayoffs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ICheckType, ManualCheckType>();
        builder.Services.AddSingleton<CheckTypeRegistry>();
        builder.Services.AddSingleton<PayoffLedger>();
        builder.Services.AddSingleton<PayoffReporter>();
        builder.Services.AddTransient<ReevaluateJob>();
        builder.Services.AddOptions<PollingOptions>().BindConfiguration(PollingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CheckStatusStore>();
        builder.Services.AddSingleton<CheckRunner>();
        builder.Services.AddTransient<CheckJob>();
        builder.Services.AddSingleton<CheckScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CheckScheduler>());
        builder.Services.AddSingleton<ICommandLineVerb, CheckVerb>();
        return builder;
    }

    /// <summary>Registers a check type that polls its service; the scheduler finds it through the registry.</summary>
    public static IServiceCollection AddPollingCheck<T>(this IServiceCollection services)
        where T : class, IPollingCheckType
    {
        services.AddSingleton<T>();
        services.AddSingleton<ICheckType>(sp => sp.GetRequiredService<T>());
        services.AddSingleton<IPollingCheckType>(sp => sp.GetRequiredService<T>());
        return services;
    }

    /// <summary>
    /// After the Hangfire server started: the periodic inbox sweep, a drain of whatever was stored but not
    /// processed before a restart (in-memory job storage forgets its jobs), and a re-evaluation whenever the
    /// stack changes.
    /// </summary>
    public static IHostApplicationBuilder AddStartupJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<StartupJobs>();
        return builder;
    }

    private sealed partial class StartupJobs(IRecurringJobManager recurring, IBackgroundJobClient jobs, InboxDrainTrigger drain, StackStore stack, ILogger<StartupJobs> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            recurring.AddOrUpdate<InboxDrainJob>(InboxDrainJob.SweepJobId, job => job.SweepAsync(CancellationToken.None), Cron.Minutely(),
                new RecurringJobOptions { MisfireHandling = MisfireHandlingMode.Ignorable });
            drain.Signal();
            jobs.Enqueue<ReevaluateJob>(job => job.RunAsync(CancellationToken.None));
            stack.Changed += OnStackChanged;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            stack.Changed -= OnStackChanged;
            return Task.CompletedTask;
        }

        private void OnStackChanged(StackDefinition _)
        {
            try
            {
                jobs.Enqueue<ReevaluateJob>(job => job.RunAsync(CancellationToken.None));
            }
            catch (Exception ex)
            {
                // Raised on the file watcher's timer thread: an exception here would end the process.
                LogEnqueueFailed(logger, ex);
            }
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Could not enqueue re-evaluation after a stack change; the next change or restart does it")]
        private static partial void LogEnqueueFailed(ILogger logger, Exception exception);
    }
}
