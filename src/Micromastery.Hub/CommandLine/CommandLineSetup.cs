namespace Micromastery.Hub.CommandLine;

internal static class CommandLineSetup
{
    public static IHostApplicationBuilder AddCommandLine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ICommandLineVerb, InitVerb>();
        builder.Services.AddSingleton<ICommandLineVerb, ConfigVerb>();
        return builder;
    }
}
