using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Access;

/// <summary>
/// What a caller who is not the owner gets: a browser is sent to the sign-in page; an API client gets
/// 401 with a Basic challenge when owner credentials exist, 403 naming the keys to set when they do not,
/// and 429 after too many failed attempts. Never a silent open door, never a bare status.
/// </summary>
internal sealed class OwnerChallenge(IOptionsMonitor<OperatorOptions> options) : IAuthorizationMiddlewareResultHandler
{
    public const string Realm = "Micromastery Hub";

    public const string NoCredentials =
        "the owner only. This hub has no owner credentials, so only requests from the machine it runs on (not relayed by a proxy) are the owner: " +
        "set Operator:Username and Operator:PasswordHash (the hash-password verb prints one) to sign in from elsewhere";

    private const string OwnerOnly = "The owner only";

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            return next(context);
        }

        var response = context.Response;
        if (context.Items[SignInThrottle.RetryAfterItem] is TimeSpan wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many failed sign-ins",
                $"too many failed sign-ins from this address: try again in {seconds} s");
        }

        if (WantsPage(context.Request))
        {
            var returnUrl = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            return TypedResults.Redirect("/login?returnUrl=" + Uri.EscapeDataString(returnUrl)).ExecuteAsync(context);
        }

        if (!options.CurrentValue.HasCredentials)
        {
            return Problems.WriteAsync(context, StatusCodes.Status403Forbidden, OwnerOnly, NoCredentials);
        }

        response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
        return Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, OwnerOnly, "the owner only: sign in at /login, or send the owner's credentials with HTTP Basic");
    }

    private static bool WantsPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
