using Hangfire;
using Micromastery.Hub.Infrastructure;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// <c>reconcile:{provider}</c>: asks one provider's own log what the inbox missed. Idempotent (a recovered event is
/// stored once under its key), and a provider that cannot answer is asked again at the next run, so it never throws
/// for that.
/// </summary>
internal sealed class ReconciliationJob(InboxReconciliation reconciliation)
{
    public const string IdPrefix = "reconcile:";

    public static string IdOf(string provider) => IdPrefix + provider;

    public Task RunAsync(string provider, CancellationToken cancellationToken) => reconciliation.RunAsync(provider, cancellationToken);
}

/// <summary>
/// Registers one recurring reconciliation per provider with a log, on <see cref="ReconciliationOptions.Schedule"/>,
/// and enqueues each once at start-up: the hub may have been off while events were sent.
/// </summary>
internal sealed class ReconciliationJobs(RecurringJobSet recurring, IBackgroundJobClient jobs, InboxReconciliation reconciliation, IOptions<ReconciliationOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        recurring.Sync(RecurringJobs.Reconciliations, reconciliation.Providers
            .Select(provider => WantedJob.Of<ReconciliationJob>(ReconciliationJob.IdOf(provider), job => job.RunAsync(provider, CancellationToken.None), settings.Schedule))
            .ToList());
        foreach (var provider in reconciliation.Providers)
        {
            if (settings.AtStartup)
            {
                jobs.Enqueue<ReconciliationJob>(job => job.RunAsync(provider, CancellationToken.None));
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
