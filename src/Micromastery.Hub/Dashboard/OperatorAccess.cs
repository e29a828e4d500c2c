using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Dashboard;

/// <summary>
/// Who may operate the hub: requests from this machine, or remote ones with the configured
/// basic-auth credentials. Never anonymous remote users.
/// </summary>
public sealed class OperatorAccess(IOptionsMonitor<OperatorOptions> options)
{
    public const string Realm = "Micromastery Hub operators";

    public bool IsAllowed(HttpContext context)
    {
        if (IsLocal(context.Connection))
        {
            return true;
        }

        var settings = options.CurrentValue;
        if (string.IsNullOrEmpty(settings.Username) || string.IsNullOrEmpty(settings.Password))
        {
            return false;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':');
        return colon > 0
            & FixedEquals(decoded[..colon], settings.Username)
            & FixedEquals(decoded[(colon + 1)..], settings.Password);
    }

    /// <summary>Sets 401 with a challenge when remote credentials are configured, 403 otherwise.</summary>
    public IResult Deny(HttpContext context)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrEmpty(settings.Username))
        {
            return Results.Json(new { error = "operators only: call from this machine, or set Dashboard:Username and Dashboard:Password" }, statusCode: StatusCodes.Status403Forbidden);
        }

        context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\"";
        return Results.Json(new { error = "operator credentials required" }, statusCode: StatusCodes.Status401Unauthorized);
    }

    private static bool IsLocal(ConnectionInfo connection) =>
        connection.RemoteIpAddress is null
            ? connection.LocalIpAddress is null // the in-memory test server has no addresses at all
            : IPAddress.IsLoopback(connection.RemoteIpAddress) || connection.RemoteIpAddress.Equals(connection.LocalIpAddress);

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}

/// <summary>Endpoint filter for operator-only API endpoints.</summary>
public sealed class OperatorOnlyFilter(OperatorAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        access.IsAllowed(context.HttpContext) ? await next(context) : access.Deny(context.HttpContext);
}

internal sealed class HangfireOperatorFilter(OperatorAccess access) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (access.IsAllowed(http))
        {
            return true;
        }

        http.Response.Headers.WWWAuthenticate = $"Basic realm=\"{OperatorAccess.Realm}\"";
        return false;
    }
}
