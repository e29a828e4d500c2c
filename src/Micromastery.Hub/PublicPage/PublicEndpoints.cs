using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Access;

namespace Micromastery.Hub.PublicPage;

/// <summary><c>/public</c>, <c>/public/{slug}</c> and <c>/public/feed.xml</c>: what the owner published, for anyone.</summary>
internal static class PublicEndpoints
{
    public static IEndpointRouteBuilder MapPublicPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/public", StackAsync).WithTags("Build in public").Public().CachedPublicOutput();
        app.MapGet("/public/feed.xml", FeedAsync).WithTags("Build in public").Public().CachedPublicOutput();
        app.MapGet("/public/{slug}", MicromasteryAsync).WithTags("Build in public").Public().CachedPublicOutput();
        return app;
    }

    /// <summary>
    /// The same answer for an unknown slug and an unpublished one, so a stranger cannot tell which slugs exist. Plain text, not
    /// ProblemDetails: these are pages and images for anyone's browser, and the public cache keeps one answer for every stranger.
    /// </summary>
    internal static ContentHttpResult NotPublished() => TypedResults.Text("Not found.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

    private static async Task<RazorComponentResult<PublicStackPage>> StackAsync(HttpContext context, PublicReader reader, Stack.StackStore stackFile, IOptionsMonitor<PublicOptions> options, CancellationToken ct)
    {
        var stack = await reader.ReadAsync(ct);
        string? ownersStackFile = null;
        if (stack.Micromasteries.Count == 0 && await IsOwnerAsync(context))
        {
            // The owner's variant says where the stack file is: never stored by a shared cache, never served to a stranger.
            ownersStackFile = stackFile.Path;
            context.Response.Headers.CacheControl = "private, no-store";
            context.Response.Headers.Vary = "Cookie, Authorization";
        }

        return StackPage(stack, options.CurrentValue, ownersStackFile);
    }

    /// <summary>The page of every published micromastery; <paramref name="ownersStackFile"/> only for the owner of an empty one.</summary>
    internal static RazorComponentResult<PublicStackPage> StackPage(PublicStack stack, PublicOptions options, string? ownersStackFile) =>
        new(new Dictionary<string, object?>
        {
            [nameof(PublicStackPage.Stack)] = stack,
            [nameof(PublicStackPage.Canonical)] = options.Absolute("/public"),
            [nameof(PublicStackPage.OwnersStackFile)] = ownersStackFile,
        });

    /// <summary>True for the owner (signed in, HTTP Basic, or this machine): a public endpoint still asks who is there.</summary>
    private static async Task<bool> IsOwnerAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            return true;
        }

        foreach (var scheme in OwnerSchemes.All)
        {
            if ((await context.AuthenticateAsync(scheme)).Succeeded)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<Results<RazorComponentResult<PublicMicromasteryPage>, ContentHttpResult>> MicromasteryAsync(string slug, HttpContext context, PublicReader reader, IOptionsMonitor<PublicOptions> options, CancellationToken ct)
    {
        var stack = await reader.ReadAsync(slug, ct);
        if (stack.Find(slug) is not { } m)
        {
            return NotPublished();
        }

        return MicromasteryPage(stack, m, options.CurrentValue, Root(context, options.CurrentValue));
    }

    /// <summary>One published micromastery's page; <paramref name="root"/> is the address strangers use (<see cref="Root"/>).</summary>
    internal static RazorComponentResult<PublicMicromasteryPage> MicromasteryPage(PublicStack stack, PublicMicromastery m, PublicOptions options, string root) =>
        new(new Dictionary<string, object?>
        {
            [nameof(PublicMicromasteryPage.M)] = m,
            [nameof(PublicMicromasteryPage.Profile)] = stack.Profile?.DisplayName,
            [nameof(PublicMicromasteryPage.Canonical)] = options.Absolute($"/public/{m.Slug}"),
            [nameof(PublicMicromasteryPage.BadgeUrl)] = $"{root}/badges/{m.Slug}.svg",
        });

    private static async Task<ContentHttpResult> FeedAsync(HttpContext context, PublicReader reader, IOptionsMonitor<PublicOptions> options, CancellationToken ct)
    {
        var stack = await reader.ReadAsync(ct);
        var xml = AtomFeed.Write(stack, Root(context, options.CurrentValue));
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text(xml, "application/atom+xml; charset=utf-8");
    }

    /// <summary>The address strangers use: Public:BaseUrl, or the request's own (after the known proxies' forwarded headers).</summary>
    internal static string Root(HttpContext context, PublicOptions options) =>
        options.Absolute("") ?? $"{context.Request.Scheme}://{context.Request.Host}";
}
