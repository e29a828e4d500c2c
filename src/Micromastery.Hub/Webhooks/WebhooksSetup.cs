namespace Micromastery.Hub.Webhooks;

internal static class WebhooksSetup
{
    public static IHostApplicationBuilder AddWebhookInbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InboxDrainTrigger>();
        builder.Services.AddSingleton<InboxStore>();
        builder.Services.AddSingleton<WebhookRefusals>();
        builder.Services.AddSingleton<InboxProcessor>();
        builder.Services.AddSingleton<InboxWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxWriter>());
        builder.Services.AddTransient<InboxDrainJob>();
        builder.Services.AddHostedService<InboxJobs>();
        builder.Services.AddSingleton<InboxReconciliation>();
        builder.Services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.Section)
            .Validate(o => o.Schedule is not null && Stack.Schedule.Problem(o.Schedule) is null, "Reconciliation:Schedule is not a valid cron expression (e.g. '0 * * * *' for hourly)")
            .ValidateOnStart();
        builder.Services.AddTransient<ReconciliationJob>();
        builder.Services.AddHostedService<ReconciliationJobs>();
        return builder;
    }
}
