using Hangfire;

namespace Micromastery.Hub.Dashboard;

public static class DashboardSetup
{
    public static IHostApplicationBuilder AddOperatorAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section);
        builder.Services.AddSingleton<OperatorAccess>();
        return builder;
    }

    /// <summary>Only operators: see <see cref="OperatorAccess"/>.</summary>
    public static RouteHandlerBuilder RequireOperator(this RouteHandlerBuilder endpoint) => endpoint.AddEndpointFilter<OperatorOnlyFilter>();

    public static RouteGroupBuilder RequireOperator(this RouteGroupBuilder group) => group.AddEndpointFilter<OperatorOnlyFilter>();

    public static IEndpointRouteBuilder MapOperatorDashboard(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<OperatorAccess>();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            DashboardTitle = "Micromastery Hub — jobs",
            Authorization = [new HangfireOperatorFilter(access)],
            AppPath = "/",
        }, app.ServiceProvider.GetRequiredService<JobStorage>());
        return app;
    }
}
