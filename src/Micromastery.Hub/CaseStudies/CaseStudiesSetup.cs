using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.CaseStudies;

public static class CaseStudiesSetup
{
    public static IHostApplicationBuilder AddCaseStudies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DraftStore>();
        builder.Services.AddSingleton<CaseStudyRenderer>();
        builder.Services.AddSingleton<DraftRendering>();
        builder.Services.AddTransient<CaseStudyJob>();
        builder.Services.AddSingleton<IPayoffVerifiedHandler, CaseStudyTrigger>();
        return builder;
    }
}
