namespace Micromastery.Hub.PublicPage;

/// <summary>Build in public: the public page, badges and feed, and the owner's publishing calls.</summary>
internal static class PublicSetup
{
    public static IHostApplicationBuilder AddPublicPage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublicOptions>()
            .BindConfiguration(PublicOptions.Section)
            .Validate(PublicOptions.IsValid, "Public:BaseUrl must be an absolute http(s) address without query, e.g. https://hub.example.com")
            .ValidateOnStart();
        builder.Services.AddSingleton<PublicationStore>();
        builder.Services.AddSingleton<CaseStudyPublishing>();
        builder.Services.AddSingleton<PublicReader>();
        builder.Services.AddOptions<PublicCacheOptions>().BindConfiguration(PublicCacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PublicCache>();
        builder.Services.AddHostedService<StackChangeCounter>();
        builder.Services.AddPublicLimits();
        return builder;
    }

    public static IEndpointRouteBuilder MapPublicPage(this IEndpointRouteBuilder app) =>
        app.MapPublicPages().MapBadges().MapPublishing();
}
