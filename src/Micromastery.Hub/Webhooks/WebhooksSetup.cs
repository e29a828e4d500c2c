namespace Micromastery.Hub.Webhooks;

public static class WebhooksSetup
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
        return builder;
    }
}
