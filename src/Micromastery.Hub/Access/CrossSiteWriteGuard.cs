using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Access;

/// <summary>
/// Refuses every state-changing request a browser sends on behalf of another site — for the owner on
/// loopback too, whose browser would otherwise carry a hostile page's POST to localhost. Browsers say where
/// a request comes from (<c>Sec-Fetch-Site</c>, or <c>Origin</c> in older ones); clients that are not
/// browsers send neither and are judged by their credentials alone. Forms also carry antiforgery tokens.
/// </summary>
internal sealed partial class CrossSiteWriteGuard(RequestDelegate next, ILogger<CrossSiteWriteGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return next(context);
        }

        if (CrossSiteSource(request) is not { } source)
        {
            return next(context);
        }

        LogRefused(logger, request.Method, request.Path, source);
        return Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused",
            "cross-site request refused: state-changing requests must come from the hub's own pages or a non-browser client");
    }

    /// <summary>Null for a same-origin (or non-browser) request; otherwise what gave it away.</summary>
    public static string? CrossSiteSource(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            // "none": the user typed or bookmarked it; no page made the request.
            return site is "same-origin" or "none" ? null : $"Sec-Fetch-Site: {site}";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return null;
        }

        return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase) ? null : $"Origin: {origin}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a cross-site {Method} {Path} ({Source})")]
    private static partial void LogRefused(ILogger logger, string method, string path, string source);
}
