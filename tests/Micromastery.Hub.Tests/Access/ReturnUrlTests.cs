using System.Net;
using Microsoft.AspNetCore.Http;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>
/// <c>/login</c>'s <c>returnUrl</c> only ever leads to a path on this hub: tabs and newlines (which browsers drop,
/// turning <c>/\t/evil</c> into <c>//evil</c>), backslashes and control characters fall back to "/", never a 500.
/// </summary>
[Collection(AccessCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class ReturnUrlTests(AccessHub hub)
{
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
