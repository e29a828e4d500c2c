namespace Micromastery.Hub.Connections;

internal static class ConnectionsSetup
{
    public static IHostApplicationBuilder AddConnections(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConnectionsReader>();
        return builder;
    }
}
