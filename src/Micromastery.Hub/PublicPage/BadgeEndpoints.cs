using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Micromastery.Hub.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using BadgeAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.StatusCodeHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult>;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// <c>/badges/{slug}.svg</c>, <c>/badges/{slug}.json</c> (shields.io's endpoint schema) and <c>/badges/stack.svg</c>:
/// public, cacheable for five minutes, with a strong ETag. Unpublished or unknown: 404.
/// </summary>
internal static class BadgeEndpoints
{
    /// <summary>An SVG opened on its own may not run script or load anything. An &lt;img&gt; on another site is not framing, so X-Frame-Options stays.</summary>
    public const string SvgPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

    public static IEndpointRouteBuilder MapBadges(this IEndpointRouteBuilder app)
    {
        var badges = app.MapGroup("/badges").WithTags("Build in public").Public().CachedPublicOutput();
        badges.MapGet("/stack.svg", StackAsync);
        badges.MapGet("/{slug}.svg", SvgAsync);
        badges.MapGet("/{slug}.json", JsonAsync);
        return app;
    }

    private static async Task<BadgeAnswer> StackAsync(HttpContext context, PublicReader reader, CancellationToken ct) =>
        Cached(context, StackSvg(await reader.ReadAsync(ct)), "image/svg+xml; charset=utf-8");

    private static async Task<BadgeAnswer> SvgAsync(string slug, HttpContext context, PublicReader reader, CancellationToken ct) =>
        (await reader.ReadAsync(ct)).Find(slug) is { } m
            ? Cached(context, Svg(m), "image/svg+xml; charset=utf-8")
            : PublicEndpoints.NotPublished();

    private static async Task<BadgeAnswer> JsonAsync(string slug, HttpContext context, PublicReader reader, CancellationToken ct)
    {
        if ((await reader.ReadAsync(ct)).Find(slug) is not { } m)
        {
            return PublicEndpoints.NotPublished();
        }

        // shields.io fetches this server-side; browsers on other sites may read it too.
        context.Response.Headers.AccessControlAllowOrigin = "*";
        return Cached(context, ShieldsJson(m), "application/json; charset=utf-8");
    }

    /// <summary>The stack's badge: how many published micromasteries have a verified payoff.</summary>
    internal static string StackSvg(PublicStack stack)
    {
        var total = stack.Micromasteries.Count;
        var color = total == 0 ? BadgeSvg.Unknown : stack.Verified == total ? BadgeSvg.Verified : BadgeSvg.Pending;
        var message = string.Create(CultureInfo.InvariantCulture, $"{stack.Verified} of {total}");
        return BadgeSvg.Render("payoffs", message, color);
    }

    /// <summary>One published micromastery's badge.</summary>
    internal static string Svg(PublicMicromastery m) => BadgeSvg.Render(m.Name, m.Payoff, BadgeSvg.ColorOf(m.Payoff));

    /// <summary>One published micromastery's badge as shields.io's endpoint JSON.</summary>
    internal static string ShieldsJson(PublicMicromastery m) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["schemaVersion"] = 1,
        ["label"] = m.Name,
        ["message"] = m.Payoff,
        ["color"] = BadgeSvg.ColorOf(m.Payoff).TrimStart('#'),
        ["cacheSeconds"] = 300,
    });

    /// <summary>The body with cache headers and a strong ETag; 304 without a body when the client has it.</summary>
    internal static BadgeAnswer Cached(HttpContext context, string body, string contentType)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"";
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = "public, max-age=300";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = SvgPolicy;
        // Other sites embed badges: let their pages load them even under Cross-Origin-Embedder-Policy.
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        return Matches(context.Request.Headers.IfNoneMatch.ToString(), etag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(bytes, contentType);
    }

    /// <summary>If-None-Match uses the weak comparison (RFC 9110 13.1.2): <c>W/</c> is ignored, and <c>*</c> matches.</summary>
    private static bool Matches(string ifNoneMatch, string etag) =>
        ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(t => t == "*" || (t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t) == etag);
}
