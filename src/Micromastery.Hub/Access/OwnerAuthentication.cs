using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Access;

/// <summary>The three ways a request is the owner's. There is one owner, so any of them is enough.</summary>
internal static class OwnerSchemes
{
    /// <summary>Signed in at /login.</summary>
    public const string Cookie = "owner-cookie";

    /// <summary>An API client sending the owner's credentials with HTTP Basic.</summary>
    public const string Basic = "owner-basic";

    /// <summary>A request from this machine that no proxy relayed.</summary>
    public const string ThisMachine = "owner-this-machine";

    public const string Policy = "owner";

    public static readonly string[] All = [Cookie, Basic, ThisMachine];

    /// <summary>Headers a proxy adds when it relays a request for someone else (before and after forwarded-headers processing).</summary>
    private static readonly string[] ForwardingHeaders =
    [
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix", "Forwarded", "X-Real-IP", "Via",
        "X-Original-For", "X-Original-Proto", "X-Original-Host", "X-Original-Prefix",
    ];

    /// <summary>
    /// This machine and no proxy in between: the remote address is loopback (or the machine's own address,
    /// or absent as on a Unix socket or the in-process test server) and no forwarding header is present,
    /// so a stranger relayed by a same-host proxy never counts.
    /// </summary>
    public static bool IsFromThisMachine(HttpContext context)
    {
        var connection = context.Connection;
        var local = connection.RemoteIpAddress is null
            ? connection.LocalIpAddress is null
            : IPAddress.IsLoopback(connection.RemoteIpAddress) || connection.RemoteIpAddress.Equals(connection.LocalIpAddress);
        return local && !ForwardingHeaders.Any(context.Request.Headers.ContainsKey);
    }

    internal static ClaimsPrincipal Owner(string name, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], scheme));
}

internal sealed class ThisMachineHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(OwnerSchemes.IsFromThisMachine(Context)
            ? AuthenticateResult.Success(new AuthenticationTicket(OwnerSchemes.Owner("owner (this machine)", Scheme.Name), Scheme.Name))
            : AuthenticateResult.NoResult());
}

internal sealed partial class BasicHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OwnerPassword password, SignInThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (throttle.RetryAfter(Context) is { } wait)
        {
            Context.Items[SignInThrottle.RetryAfterItem] = wait;
            return Task.FromResult(AuthenticateResult.Fail("too many failed sign-ins"));
        }

        if (Decode(header[6..]) is var (name, secret) && password.Matches(name, secret))
        {
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(OwnerSchemes.Owner(name, Scheme.Name), Scheme.Name)));
        }

        throttle.RecordFailure(Context);
        LogRejected(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return Task.FromResult(AuthenticateResult.Fail("wrong owner credentials"));
    }

    private static (string Name, string Secret)? Decode(string value)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Trim()));
            var colon = decoded.IndexOf(':');
            return colon > 0 ? (decoded[..colon], decoded[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Basic credentials from {Address} were refused")]
    private static partial void LogRejected(ILogger logger, string address);
}
