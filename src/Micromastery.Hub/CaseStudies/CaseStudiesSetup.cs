using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.CaseStudies;

internal static class CaseStudiesSetup
{
    public static IHostApplicationBuilder AddCaseStudies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DraftStore>();
        builder.Services.AddSingleton<CaseStudyRenderer>();
        builder.Services.AddSingleton<DraftRendering>();
        builder.Services.AddTransient<CaseStudyJob>();
        builder.Services.AddSingleton<IPayoffVerifiedHandler, CaseStudyTrigger>();
        builder.Services.AddHostedService<CaseStudyJobs>();
        return builder;
    }
}

/// <summary>Registers the sweep that keeps drafts following the facts (<see cref="CaseStudyJob.RefreshAsync"/>), every five minutes.</summary>
internal sealed class CaseStudyJobs(RecurringJobSet jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.Sync(RecurringJobs.DraftRefresh, [WantedJob.Of<CaseStudyJob>(CaseStudyJob.RefreshJobId, job => job.RefreshAsync(CancellationToken.None), "*/5 * * * *")]);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
