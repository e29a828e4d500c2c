using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>Who is the owner: this machine, a signed-in owner, an API client with Basic credentials — and nobody else.</summary>
[Collection(AccessCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class OwnerAccessTests(AccessHub hub)
{
    private Visitor Stranger(string address) => Visitor.StrangerThroughProxy(hub.Factory.Server, address);

    private static (string, string) Basic(string credentials) => ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

    [Fact]
    public async Task SignedInOwner_ThroughTheProxy_GetsTheApiAndTheDashboard()
    {
        var visitor = Stranger("203.0.113.20");

        var signIn = await visitor.SignInAsync(AccessHub.Username, AccessHub.Password, "/hangfire");
        var stack = await visitor.GetAsync("/api/stack");
        var dashboard = await visitor.GetAsync("/hangfire", "text/html");

        Assert.Equal(StatusCodes.Status302Found, signIn.Status);
        Assert.Equal("/hangfire", signIn.Headers.Location.ToString());
        var cookie = signIn.Headers.SetCookie.Single(c => c!.StartsWith("hub_owner=", StringComparison.Ordinal))!;
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(StatusCodes.Status200OK, stack.Status);
        Assert.Equal(StatusCodes.Status200OK, dashboard.Status);
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_ShowsTheErrorAtTheField_AndGrantsNothing()
    {
        var visitor = Stranger("203.0.113.21");

        var signIn = await visitor.SignInAsync(AccessHub.Username, "correct horse battery stable");
        var stack = await visitor.GetAsync("/api/stack");

        Assert.Equal(StatusCodes.Status401Unauthorized, signIn.Status);
        Assert.Contains("id=\"password-error\"", signIn.Body, StringComparison.Ordinal);
        Assert.Contains("Wrong user name or password.", signIn.Body, StringComparison.Ordinal);
        Assert.Null(visitor.CookieValue("hub_owner"));
        Assert.True(stack.Denied);
    }

    [Fact]
    public async Task SignIn_WithoutTheFormsAntiforgeryToken_IsRefused()
    {
        var visitor = Stranger("203.0.113.22");

        await visitor.GetAsync("/login", "text/html");
        var signIn = await visitor.PostFormAsync("/login", [new("username", AccessHub.Username), new("password", AccessHub.Password)]);

        Assert.Equal(StatusCodes.Status400BadRequest, signIn.Status);
        Assert.Contains("expired", signIn.Body, StringComparison.Ordinal);
        Assert.Null(visitor.CookieValue("hub_owner"));
    }

    [Fact]
    public async Task SignIn_OverPlainHttpFromAnotherMachine_IsRefusedWithTheFix()
    {
        var visitor = new Visitor(hub.Factory.Server, IPAddress.Loopback, "203.0.113.23", scheme: "http");

        var signIn = await visitor.SignInAsync(AccessHub.Username, AccessHub.Password);

        Assert.Equal(StatusCodes.Status400BadRequest, signIn.Status);
        Assert.Contains("Sign in over HTTPS", signIn.Body, StringComparison.Ordinal);
        Assert.Null(visitor.CookieValue("hub_owner"));
    }

    [Fact]
    public async Task SignIn_OverPlainHttpToLocalhost_Works_AsFromAContainersPublishedPort()
    {
        // docker compose: the browser asks http://localhost:5080; the hub sees the bridge's gateway, not loopback.
        var visitor = new Visitor(hub.Factory.Server, IPAddress.Parse("172.18.0.1"), host: "localhost:5080");

        var before = await visitor.GetAsync("/api/stack");
        var signIn = await visitor.SignInAsync(AccessHub.Username, AccessHub.Password);
        var after = await visitor.GetAsync("/api/stack");

        Assert.True(before.Denied);
        Assert.Equal(StatusCodes.Status302Found, signIn.Status);
        Assert.Equal(StatusCodes.Status200OK, after.Status);
    }

    [Fact]
    public async Task Browser_IsSentToSignIn_AndBackToWhereItWasGoing_ButNeverToAnotherSite()
    {
        var visitor = Stranger("203.0.113.24");

        var dashboard = await visitor.GetAsync("/hangfire/recurring", "text/html");
        var page = await visitor.GetAsync(dashboard.Headers.Location.ToString(), "text/html");
        var offsite = await Stranger("203.0.113.25").SignInAsync(AccessHub.Username, AccessHub.Password, "//evil.example/steal");

        Assert.Equal(StatusCodes.Status302Found, dashboard.Status);
        Assert.Equal("/login?returnUrl=%2Fhangfire%2Frecurring", dashboard.Headers.Location.ToString());
        Assert.Contains("value=\"/hangfire/recurring\"", page.Body, StringComparison.Ordinal);
        Assert.Equal("/", offsite.Headers.Location.ToString());
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var visitor = Stranger("203.0.113.26");
        await visitor.SignInAsync(AccessHub.Username, AccessHub.Password);
        var page = await visitor.GetAsync("/login", "text/html");

        var signOut = await visitor.PostFormAsync("/logout", [new("__RequestVerificationToken", Visitor.FormToken(page.Body))]);
        var stack = await visitor.GetAsync("/api/stack");

        Assert.Contains("Sign out", page.Body, StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status302Found, signOut.Status);
        Assert.Null(visitor.CookieValue("hub_owner"));
        Assert.True(stack.Denied);
    }

    [Fact]
    public async Task BasicCredentials_MakeAnApiClientTheOwner_AndWrongOnesAreChallenged()
    {
        var client = Stranger("203.0.113.27");

        var right = await client.GetAsync("/api/stack", "application/json", Basic($"{AccessHub.Username}:{AccessHub.Password}"));
        var wrong = await client.GetAsync("/api/stack", "application/json", Basic($"{AccessHub.Username}:guess"));
        var none = await client.GetAsync("/api/stack");

        Assert.Equal(StatusCodes.Status200OK, right.Status);
        Assert.Equal(StatusCodes.Status401Unauthorized, wrong.Status);
        Assert.Equal(StatusCodes.Status401Unauthorized, none.Status);
        Assert.StartsWith("Basic realm=", none.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("/login", none.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardingHeaders_FromAnAddressThatIsNoKnownProxy_AreIgnored()
    {
        var spoofer = new Visitor(hub.Factory.Server, IPAddress.Parse("198.51.100.30"), "127.0.0.1", scheme: "https");
        var viaKnownProxy = new Visitor(hub.Factory.Server, IPAddress.Parse(AccessHub.KnownProxy), "203.0.113.31", scheme: "https");

        var claimsLoopback = await spoofer.GetAsync("/api/stack");
        var claimsHttps = await spoofer.SignInAsync(AccessHub.Username, AccessHub.Password);
        var relayedHttps = await viaKnownProxy.SignInAsync(AccessHub.Username, AccessHub.Password);

        Assert.True(claimsLoopback.Denied);
        Assert.Equal(StatusCodes.Status400BadRequest, claimsHttps.Status); // its X-Forwarded-Proto: https was not believed
        Assert.Equal(StatusCodes.Status302Found, relayedHttps.Status); // Access:KnownProxies' was
    }

    [Fact]
    public async Task SignIns_AreThrottledPerClientAddress_AfterFiveFailuresAMinute()
    {
        var attacker = Stranger("203.0.113.40");
        var neighbour = Stranger("203.0.113.41");
        var apiGuesser = Stranger("203.0.113.42");

        var failures = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            failures.Add((await attacker.SignInAsync(AccessHub.Username, $"guess {i}")).Status);
            failures.Add((await apiGuesser.GetAsync("/api/stack", "application/json", Basic($"{AccessHub.Username}:guess {i}"))).Status);
        }

        var attackerNow = await attacker.SignInAsync(AccessHub.Username, AccessHub.Password);
        var apiGuesserNow = await apiGuesser.GetAsync("/api/stack", "application/json", Basic($"{AccessHub.Username}:{AccessHub.Password}"));
        var neighbourNow = await neighbour.SignInAsync(AccessHub.Username, AccessHub.Password);

        Assert.All(failures, status => Assert.Equal(StatusCodes.Status401Unauthorized, status));
        Assert.Equal(StatusCodes.Status429TooManyRequests, attackerNow.Status);
        Assert.Contains("Too many failed sign-ins", attackerNow.Body, StringComparison.Ordinal);
        Assert.True(int.Parse(attackerNow.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Null(attacker.CookieValue("hub_owner"));
        Assert.Equal(StatusCodes.Status429TooManyRequests, apiGuesserNow.Status);
        Assert.Equal(StatusCodes.Status302Found, neighbourNow.Status);
    }

    [Fact]
    public async Task SecurityHeaders_AreOnEveryPage_AndHstsOnlyOverHttps()
    {
        var overTls = await Stranger("203.0.113.50").GetAsync("/login", "text/html");
        var local = await Visitor.OwnerOnThisMachine(hub.Factory.Server).GetAsync("/login", "text/html");
        var dashboard = await Visitor.OwnerOnThisMachine(hub.Factory.Server).GetAsync("/hangfire", "text/html");

        foreach (var page in new[] { overTls, local, dashboard })
        {
            Assert.Equal(StatusCodes.Status200OK, page.Status);
            var csp = page.Headers.ContentSecurityPolicy.ToString();
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", page.Headers.XContentTypeOptions.ToString());
            Assert.Equal("same-origin", page.Headers["Referrer-Policy"].ToString());
        }

        Assert.StartsWith("max-age=", overTls.Headers.StrictTransportSecurity.ToString(), StringComparison.Ordinal);
        Assert.Empty(local.Headers.StrictTransportSecurity.ToString());
    }

    [Fact]
    public async Task CredentialsAndCookies_NeverAppearInTheLogs()
    {
        var visitor = Stranger("203.0.113.60");
        await visitor.SignInAsync(AccessHub.Username, "a wrong password 7d1f");
        await visitor.SignInAsync(AccessHub.Username, AccessHub.Password);
        var cookie = visitor.CookieValue("hub_owner")!;
        await visitor.GetAsync("/api/stack");
        var basic = Basic($"{AccessHub.Username}:{AccessHub.Password}");
        var wrongBasic = Basic($"{AccessHub.Username}:another wrong 93ac");
        await Stranger("203.0.113.61").GetAsync("/api/stack", "application/json", basic);
        await Stranger("203.0.113.61").GetAsync("/api/stack", "application/json", wrongBasic);

        var logs = hub.Factory.Logs.Entries;

        Assert.NotNull(cookie);
        Assert.Contains(logs, l => l.Contains("refused", StringComparison.Ordinal)); // failures are logged, by address
        foreach (var secret in new[] { AccessHub.Password, "a wrong password 7d1f", "another wrong 93ac", cookie[..40], basic.Item2[6..], wrongBasic.Item2[6..] })
        {
            Assert.DoesNotContain(logs, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }
}
