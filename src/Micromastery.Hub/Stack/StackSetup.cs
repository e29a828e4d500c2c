namespace Micromastery.Hub.Stack;

internal static class StackSetup
{
    public static IHostApplicationBuilder AddStack(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StackOptions>().BindConfiguration(StackOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<StackFileParser>();
        builder.Services.AddSingleton<StackStore>();
        builder.Services.AddSingleton<StackStarter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StackStore>());
        return builder;
    }
}
