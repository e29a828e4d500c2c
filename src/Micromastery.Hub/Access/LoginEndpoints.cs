using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Access;

/// <summary><c>GET/POST /login</c> and <c>POST /logout</c>: the owner's cookie sign-in.</summary>
internal static partial class LoginEndpoints
{
    private const string StampClaim = "owner-stamp";
    private const string SessionClaim = "owner-session";

    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", ShowAsync).Public();
        app.MapPost("/login", SignInAsync).Public().DisableAntiforgery(); // checked by hand, to answer with the form and a message
        app.MapPost("/logout", SignOutAsync);
        return app;
    }

    private static async Task<RazorComponentResult<LoginPage>> ShowAsync(HttpContext context, string? returnUrl, IAntiforgery antiforgery, IOptionsMonitor<OperatorOptions> options)
    {
        var cookie = await context.AuthenticateAsync(OwnerSchemes.Cookie);
        var owner = cookie.Succeeded ? cookie.Principal.Identity?.Name : OwnerSchemes.IsFromThisMachine(context) ? "this machine" : null;
        return Page(context, antiforgery, options, LocalOrHome(returnUrl), signedInAs: owner, canSignOut: cookie.Succeeded);
    }

    private static async Task<Results<RazorComponentResult<LoginPage>, RedirectHttpResult, ProblemHttpResult>> SignInAsync(
        HttpContext context, IAntiforgery antiforgery, IOptionsMonitor<OperatorOptions> options, OwnerPassword password, SignInThrottle throttle, OwnerSessions sessions,
        ILoggerFactory loggers)
    {
        if (!context.Request.HasFormContentType)
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Sign in with the form",
                "sign in with the form at /login (API clients send HTTP Basic credentials instead)");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = LocalOrHome(form["returnUrl"]);
        var username = form["username"].ToString();
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var logger = loggers.CreateLogger("Micromastery.Hub.Access");

        if (throttle.RetryAfter(context) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page(context, antiforgery, options, returnUrl, notice: $"Too many failed sign-ins from your address. Try again in {seconds} seconds.",
                username: username, status: StatusCodes.Status429TooManyRequests);
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Page(context, antiforgery, options, returnUrl, notice: "This sign-in form has expired. Please sign in again.", username: username,
                status: StatusCodes.Status400BadRequest);
        }

        if (!options.CurrentValue.HasCredentials)
        {
            return Page(context, antiforgery, options, returnUrl, status: StatusCodes.Status403Forbidden);
        }

        if (!context.Request.IsHttps && !IsLoopbackName(context.Request.Host.Host))
        {
            // The session cookie is Secure-only, which browsers accept over HTTPS or from localhost (a container's
            // published port included); anywhere else they would drop it, and the password would cross the network in clear.
            return Page(context, antiforgery, options, returnUrl, username: username, status: StatusCodes.Status400BadRequest,
                notice: "Sign in over HTTPS: put the hub behind a reverse proxy that terminates TLS (see the README's \"Put it on a server\").");
        }

        if (!password.Matches(username, form["password"].ToString()))
        {
            throttle.RecordFailure(context);
            LogFailed(logger, address);
            return Page(context, antiforgery, options, returnUrl, username: username, passwordError: "Wrong user name or password.",
                status: StatusCodes.Status401Unauthorized);
        }

        var session = await sessions.StartAsync(context.RequestAborted);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, username), new Claim(StampClaim, Stamp(options.CurrentValue)), new Claim(SessionClaim, session)], OwnerSchemes.Cookie);
        await context.SignInAsync(OwnerSchemes.Cookie, new ClaimsPrincipal(identity));
        LogSignedIn(logger, address);
        return TypedResults.Redirect(returnUrl);
    }

    /// <summary>Ends the session in the database (every hub refuses its cookie from now on), then drops the cookie.</summary>
    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOutAsync(HttpContext context, IAntiforgery antiforgery, OwnerSessions sessions)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Problems.Status(StatusCodes.Status400BadRequest, "Form expired", "the sign-out form has expired: reload the page and try again");
        }

        var cookie = await context.AuthenticateAsync(OwnerSchemes.Cookie);
        if (cookie.Principal is { } principal)
        {
            await sessions.EndAsync(SessionOf(principal), context.RequestAborted);
        }

        await context.SignOutAsync(OwnerSchemes.Cookie);
        return TypedResults.Redirect("/login");
    }

    /// <summary>Changes when the owner's name or password changes, so older cookies stop working.</summary>
    internal static string Stamp(OperatorOptions settings) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{settings.Username}\n{settings.PasswordHash}\n{settings.Password}")))[..22];

    internal static string? SessionOf(ClaimsPrincipal principal) => principal.FindFirst(SessionClaim)?.Value;

    internal static bool StampIsCurrent(ClaimsPrincipal principal, OperatorOptions settings) =>
        settings.HasCredentials && principal.FindFirst(StampClaim)?.Value == Stamp(settings);

    private static bool IsLoopbackName(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Only a path on this hub, else "/": an absolute or protocol-relative URL would make the sign-in an open redirect.
    /// Browsers drop tabs and newlines from a URL (so <c>/\t/evil.example</c> is <c>//evil.example</c>) and read
    /// <c>\</c> as <c>/</c>; a Location header refuses control and non-ASCII characters. So: printable ASCII only,
    /// no backslash, one leading slash.
    /// </summary>
    internal static string LocalOrHome(string? url) =>
        url is { Length: > 0 and <= 2048 } && url[0] == '/' && (url.Length == 1 || url[1] != '/') && url.All(c => c is > ' ' and < '\x7f' and not '\\')
            ? url
            : "/";

    private static RazorComponentResult<LoginPage> Page(
        HttpContext context, IAntiforgery antiforgery, IOptionsMonitor<OperatorOptions> options, string returnUrl,
        string? notice = null, string? signedInAs = null, bool canSignOut = false, string? username = null, string? passwordError = null,
        int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new RazorComponentResult<LoginPage>(new Dictionary<string, object?>
        {
            [nameof(LoginPage.Notice)] = notice,
            [nameof(LoginPage.SignedInAs)] = signedInAs,
            [nameof(LoginPage.CanSignOut)] = canSignOut,
            [nameof(LoginPage.CredentialsConfigured)] = options.CurrentValue.HasCredentials,
            [nameof(LoginPage.Continue)] = returnUrl,
            [nameof(LoginPage.Username)] = username,
            [nameof(LoginPage.PasswordError)] = passwordError,
            [nameof(LoginPage.TokenField)] = tokens.FormFieldName,
            [nameof(LoginPage.Token)] = tokens.RequestToken,
        })
        { StatusCode = status };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-in from {Address} was refused: wrong user name or password")]
    private static partial void LogFailed(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "The owner signed in from {Address}")]
    private static partial void LogSignedIn(ILogger logger, string address);
}
