using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>
/// Who is the owner: this machine, a signed-in owner, an API client with Basic credentials — and nobody else; where
/// signing in leads, and signing out ending the session on every hub.
/// </summary>
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

    /// <summary>
    /// Signing out ends the session in the database: a cookie copied before <c>POST /logout</c> is worthless
    /// afterwards, on the hub that signed out and on another hub over the same database.
    /// </summary>
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task CopiedCookie_IsRefusedOnEveryHub_AfterSignOut(StorageProvider provider)
    {
        await using var hub = await DedicatedHub.CreateAsync(provider);
        var first = hub.Start(AccessHub.Settings);
        var second = hub.Start(AccessHub.Settings);
        var owner = Visitor.StrangerThroughProxy(first.Server, "192.0.2.70");
        Assert.Equal(StatusCodes.Status302Found, (await owner.SignInAsync(AccessHub.Username, AccessHub.Password)).Status);
        var copied = ("Cookie", "hub_owner=" + owner.CookieValue("hub_owner"));
        var thief = Visitor.StrangerThroughProxy(second.Server, "198.51.100.7");
        var beforeHere = await Visitor.StrangerThroughProxy(first.Server, "198.51.100.7").GetAsync("/api/stack", "application/json", copied);
        var beforeThere = await thief.GetAsync("/api/stack", "application/json", copied);
        var page = await owner.GetAsync("/login", "text/html");

        var signOut = await owner.PostFormAsync("/logout", [new("__RequestVerificationToken", Visitor.FormToken(page.Body))]);
        var afterHere = await Visitor.StrangerThroughProxy(first.Server, "198.51.100.8").GetAsync("/api/stack", "application/json", copied);
        var afterThere = await thief.GetAsync("/api/stack", "application/json", copied);
        var again = Visitor.StrangerThroughProxy(first.Server, "192.0.2.71");
        await again.SignInAsync(AccessHub.Username, AccessHub.Password);
        var newSession = await again.GetAsync("/api/stack");

        Assert.Equal(StatusCodes.Status200OK, beforeHere.Status);
        Assert.Equal(StatusCodes.Status200OK, beforeThere.Status);
        Assert.Equal(StatusCodes.Status302Found, signOut.Status);
        Assert.True(afterHere.Denied, $"{afterHere.Status} {afterHere.Body}");
        Assert.True(afterThere.Denied, $"{afterThere.Status} {afterThere.Body}");
        Assert.Equal(StatusCodes.Status200OK, newSession.Status);
    }

    // /login's returnUrl only ever leads to a path on this hub: tabs and newlines (which browsers drop, turning /\t/evil
    // into //evil), backslashes and control characters fall back to "/", never a 500.
    private static readonly string[] HostileUrls =
    [
        "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\v/evil.example", "/\f/evil.example", "/\u3000/evil.example",
        "/\x7f/evil.example", "/\\evil.example", "//evil.example", "/ /evil.example", "https://evil.example/", "/ok\nLocation: https://evil.example/",
    ];

    // Each case signs in from an address of its own: failed sign-ins are throttled per address.
    public static TheoryData<string, string> Hostile()
    {
        var data = new TheoryData<string, string>();
        for (var i = 0; i < HostileUrls.Length; i++)
        {
            data.Add(HostileUrls[i], $"192.0.2.{10 + i}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task SignIn_WithAHostileReturnUrl_RedirectsHome(string returnUrl, string address)
    {
        var visitor = new Visitor(hub.Factory.Server, IPAddress.Loopback, address, "https");

        var signIn = await visitor.SignInAsync(AccessHub.Username, AccessHub.Password, returnUrl);

        Assert.Equal(StatusCodes.Status302Found, signIn.Status);
        Assert.Equal("/", signIn.Headers.Location.ToString());
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0A/evil.example")]
    [InlineData("/%5Cevil.example")]
    public async Task SignInPage_OfferingToContinue_LinksOnlyToThisHub(string escapedReturnUrl)
    {
        var owner = Visitor.OwnerOnThisMachine(hub.Factory.Server);

        var page = await owner.GetAsync("/login?returnUrl=" + escapedReturnUrl, "text/html");

        Assert.Equal(StatusCodes.Status200OK, page.Status);
        Assert.Contains("<a href=\"/\">Continue to /</a>", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithALocalPath_StillGoesThere()
    {
        var visitor = new Visitor(hub.Factory.Server, IPAddress.Loopback, "192.0.2.90", "https");

        var signIn = await visitor.SignInAsync(AccessHub.Username, AccessHub.Password, "/micromasteries/stripe-payment-link?done=x#drafts");

        Assert.Equal("/micromasteries/stripe-payment-link?done=x#drafts", signIn.Headers.Location.ToString());
    }

    [Fact]
    public async Task Favicon_IsPublic_AndEveryPageLinksIt()
    {
        var stranger = Visitor.StrangerThroughProxy(hub.Factory.Server, "192.0.2.91");

        var icon = await stranger.GetAsync("/favicon.ico", "image/*");
        var login = await stranger.GetAsync("/login", "text/html");
        var publicPage = await stranger.GetAsync("/public", "text/html");
        var ownerPage = await Visitor.OwnerOnThisMachine(hub.Factory.Server).GetAsync("/", "text/html");

        Assert.Equal(StatusCodes.Status200OK, icon.Status);
        Assert.Equal("image/svg+xml", icon.Headers.ContentType.ToString());
        Assert.StartsWith("<svg", icon.Body, StringComparison.Ordinal);
        Assert.All(new[] { login, publicPage, ownerPage }, page => Assert.Contains("<link rel=\"icon\" href=\"/favicon.svg\"", page.Body, StringComparison.Ordinal));
    }
}
