using Micromastery.Hub.Access;

namespace Micromastery.Hub.Ui;

/// <summary>
/// The hub's icon, public: browsers ask for <c>/favicon.ico</c> on every page whatever the page links, and a refusal
/// there is a console error on every public page. The answer is the SVG icon the pages link (<c>/favicon.svg</c>).
/// </summary>
internal static class Favicon
{
    public const string Path = "/favicon.svg";

    public static IEndpointRouteBuilder MapFavicon(this IEndpointRouteBuilder app)
    {
        app.MapGet("/favicon.ico", (IWebHostEnvironment environment) =>
                TypedResults.File(environment.WebRootFileProvider.GetFileInfo(Path).CreateReadStream(), "image/svg+xml"))
            .Public()
            .ExcludeFromDescription();
        return app;
    }
}
