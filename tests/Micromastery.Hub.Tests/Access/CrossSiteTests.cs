using Microsoft.AspNetCore.Http;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>
/// A page on another site must not make the owner's browser change anything in the hub — the owner on
/// loopback included, whose browser a hostile page can point at localhost.
/// </summary>
[Collection(AccessCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class CrossSiteTests(AccessHub hub)
{
    public static TheoryData<string, string> BrowserSources => new()
    {
        { "Origin", "https://evil.example" },
        { "Origin", "null" },
        { "Sec-Fetch-Site", "cross-site" },
        { "Sec-Fetch-Site", "same-site" },
    };

    [Theory]
    [MemberData(nameof(BrowserSources))]
    public async Task EveryStateChangingEndpoint_RefusesAnotherSitesRequest_FormOrJson(string header, string value)
    {
        var owner = Visitor.OwnerOnThisMachine(hub.Factory.Server);
        var posts = EndpointWalkTests.Requests(hub.Factory.Services).Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE").ToList();

        var passed = new List<string>();
        foreach (var (method, path, _) in posts)
        {
            var form = await owner.SendAsync(method, path, "text/html", "application/x-www-form-urlencoded", "jobs%5B%5D=check", (header, value));
            var json = await owner.SendAsync(method, path, "application/json", "application/json", "{\"note\":\"x\"}", (header, value));
            foreach (var answer in new[] { form, json })
            {
                if (answer.Status != StatusCodes.Status403Forbidden || !answer.Body.Contains("cross-site request refused", StringComparison.Ordinal))
                {
                    passed.Add($"{method} {path}: {answer.Status}");
                }
            }
        }

        Assert.True(posts.Count > 15, $"only {posts.Count} state-changing requests found");
        Assert.Empty(passed);
    }

    [Fact]
    public async Task TheDashboardsRecurringJobs_SurviveACrossSiteRemove()
    {
        var owner = Visitor.OwnerOnThisMachine(hub.Factory.Server);
        var before = await owner.GetAsync("/hangfire/recurring", "text/html");

        var remove = await owner.SendAsync("POST", "/hangfire/recurring/remove", "*/*", "application/x-www-form-urlencoded",
            "jobs%5B%5D=inbox-sweep", ("Origin", "https://evil.example"));
        var after = await owner.GetAsync("/hangfire/recurring", "text/html");

        Assert.Equal(StatusCodes.Status403Forbidden, remove.Status);
        Assert.Contains("inbox-sweep", before.Body, StringComparison.Ordinal);
        Assert.Contains("inbox-sweep", after.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardsOwnActions_NeedItsAntiforgeryToken()
    {
        var owner = Visitor.OwnerOnThisMachine(hub.Factory.Server);
        var page = await owner.GetAsync("/hangfire/recurring", "text/html");
        var token = (EndpointWalkTests.Meta(page.Body, "csrf-header"), EndpointWalkTests.Meta(page.Body, "csrf-token"));

        var without = await owner.SendAsync("POST", "/hangfire/recurring/trigger", "*/*", "application/x-www-form-urlencoded", "jobs%5B%5D=inbox-sweep",
            ("Origin", "http://" + Visitor.Host));
        var with = await owner.SendAsync("POST", "/hangfire/recurring/trigger", "*/*", "application/x-www-form-urlencoded", "jobs%5B%5D=inbox-sweep",
            ("Origin", "http://" + Visitor.Host), token);

        Assert.Equal(StatusCodes.Status403Forbidden, without.Status);
        Assert.Equal(StatusCodes.Status204NoContent, with.Status);
    }

    [Fact]
    public async Task SameOriginAndNonBrowserRequests_AreNotRefused()
    {
        var owner = Visitor.OwnerOnThisMachine(hub.Factory.Server);

        var sameOrigin = await owner.PostJsonAsync("/api/micromasteries/nope/drafts", "{}", ("Origin", "http://" + Visitor.Host), ("Sec-Fetch-Site", "same-origin"));
        var curl = await owner.PostJsonAsync("/api/micromasteries/nope/drafts", "{}");

        Assert.Equal(StatusCodes.Status404NotFound, sameOrigin.Status);
        Assert.Equal(StatusCodes.Status404NotFound, curl.Status);
    }
}
