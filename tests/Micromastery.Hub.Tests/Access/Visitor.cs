using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Micromastery.Hub.Tests.Access;

/// <summary>What a test sees of one response from the in-process hub.</summary>
public sealed record Answer(int Status, IHeaderDictionary Headers, string Body)
{
    /// <summary>Turned away by the access model: a Basic challenge, "the owner only", or a browser sent to sign in.</summary>
    public bool Denied => (Status == StatusCodes.Status401Unauthorized && Headers.WWWAuthenticate.ToString().StartsWith("Basic", StringComparison.Ordinal))
        || (Status == StatusCodes.Status403Forbidden && Body.Contains("the owner only", StringComparison.Ordinal))
        || (Status == StatusCodes.Status302Found && Headers.Location.ToString().StartsWith("/login?returnUrl=", StringComparison.Ordinal));
}

/// <summary>
/// A client at a chosen network address, optionally relayed by a proxy, keeping its cookies: the owner on
/// loopback, a stranger behind a same-host proxy, a spoofer. Requests go to the in-process hub's
/// <see cref="TestServer"/>, where the connection's addresses can be set.
/// </summary>
public sealed class Visitor(TestServer server, IPAddress remote, string? forwardedFor = null, string scheme = "http", string host = "hub.example.com")
{
    public const string Host = "hub.example.com";

    private readonly Dictionary<string, string> _cookies = [];

    public static Visitor OwnerOnThisMachine(TestServer server) => new(server, IPAddress.Loopback);

    /// <summary>A stranger on the internet whose request a reverse proxy on the same host relays (TLS ended at the proxy).</summary>
    public static Visitor StrangerThroughProxy(TestServer server, string address = "203.0.113.9") => new(server, IPAddress.Loopback, address, "https");

    public string? CookieValue(string name) => _cookies.GetValueOrDefault(name);

    public Task<Answer> GetAsync(string path, string accept = "application/json", params (string Name, string Value)[] headers) =>
        SendAsync("GET", path, accept, null, null, headers);

    public Task<Answer> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> form, params (string Name, string Value)[] headers) =>
        SendAsync("POST", path, "text/html", "application/x-www-form-urlencoded", new FormUrlEncodedContent(form).ReadAsStringAsync().GetAwaiter().GetResult(), headers);

    public Task<Answer> PostJsonAsync(string path, string json, params (string Name, string Value)[] headers) =>
        SendAsync("POST", path, "application/json", "application/json", json, headers);

    public async Task<Answer> SendAsync(string method, string path, string accept, string? contentType, string? body, params (string Name, string Value)[] headers)
    {
        var context = await server.SendAsync(c =>
        {
            c.Request.Method = method;
            var query = path.IndexOf('?');
            c.Request.Path = query < 0 ? path : path[..query];
            c.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
            c.Request.Host = new HostString(host);
            c.Request.Scheme = "http";
            c.Connection.RemoteIpAddress = remote;
            c.Connection.LocalIpAddress = IPAddress.Loopback;
            c.Request.Headers.Accept = accept;
            if (forwardedFor is not null)
            {
                c.Request.Headers["X-Forwarded-For"] = forwardedFor;
                c.Request.Headers["X-Forwarded-Proto"] = scheme;
                c.Request.Headers["X-Forwarded-Host"] = host;
            }

            if (_cookies.Count > 0)
            {
                c.Request.Headers.Cookie = string.Join("; ", _cookies.Select(p => $"{p.Key}={p.Value}"));
            }

            foreach (var (name, value) in headers)
            {
                c.Request.Headers[name] = value;
            }

            if (body is not null)
            {
                c.Request.ContentType = contentType;
                c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            }
        });

        foreach (var header in context.Response.Headers.SetCookie)
        {
            var pair = header!.Split(';')[0];
            var eq = pair.IndexOf('=');
            if (header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                _cookies.Remove(pair[..eq]);
            }
            else
            {
                _cookies[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        var text = context.Response.Body.CanRead ? await new StreamReader(context.Response.Body).ReadToEndAsync() : "";
        return new Answer(context.Response.StatusCode, context.Response.Headers, text);
    }

    /// <summary>Signs in through the form, as a browser would: fetch the page (antiforgery token and cookie), post it.</summary>
    public async Task<Answer> SignInAsync(string username, string password, string returnUrl = "/")
    {
        var page = await GetAsync("/login", "text/html");
        return await PostFormAsync("/login",
        [
            new("__RequestVerificationToken", FormToken(page.Body)),
            new("username", username),
            new("password", password),
            new("returnUrl", returnUrl),
        ]);
    }

    public static string FormToken(string html)
    {
        const string marker = "name=\"__RequestVerificationToken\" value=\"";
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, "no antiforgery token in the page:\n" + html);
        start += marker.Length;
        return html[start..html.IndexOf('"', start)];
    }
}
