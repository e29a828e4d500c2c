using Hangfire;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.CaseStudies;

public static class CaseStudiesSetup
{
    public static IHostApplicationBuilder AddCaseStudies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DraftStore>();
        builder.Services.AddSingleton<CaseStudyRenderer>();
        builder.Services.AddTransient<CaseStudyJob>();
        builder.Services.AddSingleton<IPayoffVerifiedHandler, CaseStudyTrigger>();
        builder.Services.AddHostedService<CaseStudyJobs>();
        return builder;
    }
}

/// <summary>Registers the sweep that keeps drafts following the facts (<see cref="CaseStudyJob.RefreshAsync"/>), every five minutes.</summary>
internal sealed class CaseStudyJobs(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<CaseStudyJob>(CaseStudyJob.RefreshJobId, job => job.RefreshAsync(CancellationToken.None), "*/5 * * * *",
            new RecurringJobOptions { MisfireHandling = MisfireHandlingMode.Ignorable });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
