using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Access;

/// <summary>
/// Every state-changing request to an owner endpoint that a browser form could send carries a valid antiforgery
/// token, checked here once for all of them, so a form added later cannot forget it. That is every owner page's
/// POST, and a form-encoded (or plain-text) body sent to the JSON API. API clients that send JSON or no body are
/// judged by their credentials (and <see cref="CrossSiteWriteGuard"/>): a cross-site page cannot send JSON without
/// a CORS preflight the hub never grants. Public endpoints (webhooks, <c>/login</c>) and the Hangfire dashboard
/// (which checks the same tokens itself) are left to their own rules.
/// </summary>
internal sealed partial class OwnerFormGuard(RequestDelegate next, IAntiforgery antiforgery, ILogger<OwnerFormGuard> logger)
{
    public const string Expired = "This form has expired or did not come from the hub's own page: reload the page and try again.";

    public async Task InvokeAsync(HttpContext context)
    {
        if (NeedsToken(context) && !await antiforgery.IsRequestValidAsync(context))
        {
            LogRefused(logger, context.Request.Method, context.Request.Path);
            // A page's form gets the words as text (the browser shows them); an API call gets a problem.
            await (IsApi(Pattern(context)) ? Problems.Status(StatusCodes.Status400BadRequest, "Form token missing", Expired)
                : (IResult)TypedResults.Text(Expired, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest)).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>True for the requests this guard asks a token of (the endpoint walk test enumerates them too).</summary>
    public static bool NeedsToken(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return false;
        }

        if (context.GetEndpoint() is not RouteEndpoint endpoint || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return false;
        }

        var pattern = Pattern(context);
        if (pattern.StartsWith(AccessSetup.DashboardPath + "/", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !IsApi(pattern) || IsFormLike(request.ContentType);
    }

    private static string Pattern(HttpContext context) =>
        "/" + ((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "").TrimStart('/');

    public static bool IsApi(string pattern) => pattern.StartsWith("/api/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The content types a cross-site HTML form can send without a preflight.</summary>
    private static bool IsFormLike(string? contentType) =>
        contentType is { Length: > 0 }
        && (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path}: no valid antiforgery token")]
    private static partial void LogRefused(ILogger logger, string method, PathString path);
}
