using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

internal static class PayoffsSetup
{
    public static IHostApplicationBuilder AddPayoffs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ICheckType, ManualCheckType>();
        builder.Services.AddSingleton<CheckTypeRegistry>();
        builder.Services.AddSingleton<EvidenceSummaries>();
        builder.Services.AddSingleton<PayoffLedger>();
        builder.Services.AddSingleton<PayoffReporter>();
        builder.Services.AddSingleton<ManualEvidenceRecorder>();
        builder.Services.AddSingleton<CheckNow>();
        builder.Services.AddTransient<ReevaluateJob>();
        builder.Services.AddOptions<PollingOptions>().BindConfiguration(PollingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CheckStatusStore>();
        builder.Services.AddSingleton<CheckRunner>();
        builder.Services.AddTransient<CheckJob>();
        builder.Services.AddSingleton<CheckScheduler>();
        builder.Services.AddOptions<ReconfirmOptions>().BindConfiguration(ReconfirmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Reconfirmer>();
        builder.Services.AddTransient<ReconfirmJob>();
        builder.Services.AddSingleton<ReconfirmScheduler>();
        builder.Services.AddHostedService<PayoffJobs>();
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
}
