using Micromastery.Hub.CommandLine;

namespace Micromastery.Hub.Practice;

internal static class PracticeSetup
{
    public static IHostApplicationBuilder AddPractice(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PracticeStore>();
        builder.Services.AddSingleton<PracticeLog>();
        builder.Services.AddSingleton<ICommandLineVerb, LogVerb>();
        return builder;
    }
}
