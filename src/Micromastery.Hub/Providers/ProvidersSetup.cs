using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Providers;

internal static class ProvidersSetup
{
    /// <summary>
    /// The one line a service needs in <c>Program.cs</c>: its folder registers the rest, and the hub finds it
    /// among <see cref="IProvider"/> (webhook routes, the inbox, the <c>config</c> verb, the connections page).
    /// </summary>
    public static IHostApplicationBuilder AddProvider<T>(this IHostApplicationBuilder builder)
        where T : class, IProvider, IProviderRegistration
    {
        T.Register(builder);
        builder.Services.AddSingleton<T>();
        builder.Services.AddSingleton<IProvider>(sp => sp.GetRequiredService<T>());
        builder.Services.AddSingleton<IConfigurationProbe>(sp => sp.GetRequiredService<T>().Probe);
        return builder;
    }

    /// <summary>Registers a provider's webhook receiver; <c>/webhooks/{provider}</c> is mapped for it.</summary>
    public static IServiceCollection AddWebhookSource<T>(this IServiceCollection services)
        where T : class, IWebhookSource
    {
        services.AddSingleton<T>();
        services.AddSingleton<IWebhookSource>(sp => sp.GetRequiredService<T>());
        return services;
    }

    /// <summary>Registers a provider's own log of webhook deliveries, which the inbox reconciliation asks for what it missed.</summary>
    public static IServiceCollection AddEventLog<T>(this IServiceCollection services)
        where T : class, IProviderEventLog
    {
        services.AddSingleton<T>();
        services.AddSingleton<IProviderEventLog>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
