using System.Text.Json;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Tests.Access;
using Micromastery.Hub.Tests.Infrastructure;
using static Micromastery.Hub.Tests.PublicPage.PublicScenario;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>Badges over HTTP: shields.io's endpoint JSON, cache headers, a strong ETag and 304, a CSP without script.</summary>
[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class BadgeHttpTests(SqliteHub hub) : IAsyncLifetime
{
    public Task InitializeAsync() => hub.ResetAsync(PublicScenario.Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private Visitor Stranger => Visitor.StrangerThroughProxy(hub.Factory.Server);

    [Theory]
    [InlineData("/badges/stripe-payment-link.svg", "image/svg+xml")]
    [InlineData("/badges/stripe-payment-link.json", "application/json")]
    [InlineData("/badges/stack.svg", "image/svg+xml")]
    public async Task Badge_IsCacheable_WithAStrongETag_And304WhenUnchanged(string path, string type)
    {
        await ArrangeAsync(hub.Client);

        var first = await Stranger.GetAsync(path, "*/*");
        var etag = first.Headers.ETag.ToString();
        var again = await Stranger.GetAsync(path, "*/*", ("If-None-Match", etag));
        var weak = await Stranger.GetAsync(path, "*/*", ("If-None-Match", $"\"other\", W/{etag}"));
        var stale = await Stranger.GetAsync(path, "*/*", ("If-None-Match", "\"0123\""));

        Assert.Equal(200, first.Status);
        Assert.StartsWith(type, first.Headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Matches("^\"[0-9a-f]{32}\"$", etag);
        Assert.Equal("public, max-age=300", first.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", first.Headers.XContentTypeOptions.ToString());
        Assert.Equal(BadgeEndpoints.SvgPolicy, first.Headers.ContentSecurityPolicy.ToString());
        Assert.DoesNotContain("script-src", first.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal("cross-origin", first.Headers["Cross-Origin-Resource-Policy"].ToString());
        Assert.Equal((304, ""), (again.Status, again.Body));
        Assert.Equal(etag, again.Headers.ETag.ToString());
        Assert.Equal(304, weak.Status);
        Assert.Equal((200, first.Body), (stale.Status, stale.Body));
    }

    [Fact]
    public async Task ETag_ChangesWhenThePayoffChanges()
    {
        var pending = await Stranger.GetAsync("/badges/stripe-payment-link.svg", "*/*");

        await ArrangeAsync(hub.Client);
        var verified = await Stranger.GetAsync("/badges/stripe-payment-link.svg", "*/*", ("If-None-Match", pending.Headers.ETag.ToString()));

        Assert.Contains(BadgeSvg.Pending, pending.Body);
        Assert.Equal(200, verified.Status);
        Assert.Contains(BadgeSvg.Verified, verified.Body);
        Assert.NotEqual(pending.Headers.ETag.ToString(), verified.Headers.ETag.ToString());
    }

    [Fact]
    public async Task Json_FollowsShieldsEndpointSchema()
    {
        await ArrangeAsync(hub.Client);

        var answer = await Stranger.GetAsync("/badges/stripe-payment-link.json");

        using var json = JsonDocument.Parse(answer.Body);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(PublicName, root.GetProperty("label").GetString());
        Assert.Equal("verified", root.GetProperty("message").GetString());
        Assert.Equal("4c1", root.GetProperty("color").GetString());
        Assert.Equal("*", answer.Headers.AccessControlAllowOrigin.ToString());
    }
}
