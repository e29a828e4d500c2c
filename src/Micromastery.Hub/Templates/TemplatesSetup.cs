using Micromastery.Hub.CommandLine;

namespace Micromastery.Hub.Templates;

internal static class TemplatesSetup
{
    public static IHostApplicationBuilder AddTemplates(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TemplateOptions>().BindConfiguration(TemplateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TemplateFiles>();
        builder.Services.AddSingleton<TemplateRenderer>();
        builder.Services.AddSingleton<ICommandLineVerb, RenderVerb>();
        return builder;
    }
}
