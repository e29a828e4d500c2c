using Microsoft.AspNetCore.Http;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>
/// Signing out ends the session in the database: a cookie copied before <c>POST /logout</c> is worthless
/// afterwards, on the hub that signed out and on another hub over the same database.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class SignOutTests
{
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
}
