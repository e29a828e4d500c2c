using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Tests.Access;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>
/// What a stranger fetches, built from the hub's services without a host: the public reader's model, rendered by the
/// same page components, feed writer and badge functions the public endpoints answer with. Null where an endpoint
/// answers its 404 (unknown or unpublished). Status codes, headers and the cache are the HTTP tests' (<c>PublicHttpTests</c>).
/// </summary>
internal sealed class StrangerOutputs(HubServices hub, string host = Visitor.Host)
{
    private PublicReader Reader => hub.Service<PublicReader>();

    private PublicOptions Options => hub.Service<IOptionsMonitor<PublicOptions>>().CurrentValue;

    /// <summary>The address the endpoints link to for a stranger who asked <paramref name="host"/> over https.</summary>
    public string Root => PublicEndpoints.Root(new DefaultHttpContext { Request = { Scheme = "https", Host = new HostString(host) } }, Options);

    /// <summary><c>/public</c>; <paramref name="ownersStackFile"/> as the endpoint gives it to the owner of an empty page.</summary>
    public async Task<string> StackPageAsync(string? ownersStackFile = null) =>
        await RenderAsync(PublicEndpoints.StackPage(await Reader.ReadAsync(CancellationToken.None), Options, ownersStackFile));

    /// <summary><c>/public/{slug}</c>.</summary>
    public async Task<string?> MicromasteryPageAsync(string slug)
    {
        var stack = await Reader.ReadAsync(slug, CancellationToken.None);
        return stack.Find(slug) is { } m ? await RenderAsync(PublicEndpoints.MicromasteryPage(stack, m, Options, Root)) : null;
    }

    /// <summary><c>/public/feed.xml</c>.</summary>
    public async Task<string> FeedAsync() => AtomFeed.Write(await Reader.ReadAsync(CancellationToken.None), Root);

    /// <summary><c>/badges/stack.svg</c>.</summary>
    public async Task<string> StackBadgeAsync() => BadgeEndpoints.StackSvg(await Reader.ReadAsync(CancellationToken.None));

    /// <summary><c>/badges/{slug}.svg</c>.</summary>
    public async Task<string?> BadgeAsync(string slug) =>
        (await Reader.ReadAsync(CancellationToken.None)).Find(slug) is { } m ? BadgeEndpoints.Svg(m) : null;

    /// <summary><c>/badges/{slug}.json</c>.</summary>
    public async Task<string?> BadgeJsonAsync(string slug) =>
        (await Reader.ReadAsync(CancellationToken.None)).Find(slug) is { } m ? BadgeEndpoints.ShieldsJson(m) : null;

    /// <summary>Every output above for the published <paramref name="slug"/>, by the path it is served at.</summary>
    public async Task<Dictionary<string, string?>> EverythingAsync(string slug) => new()
    {
        ["/public"] = await StackPageAsync(),
        [$"/public/{slug}"] = await MicromasteryPageAsync(slug),
        ["/public/feed.xml"] = await FeedAsync(),
        [$"/badges/{slug}.svg"] = await BadgeAsync(slug),
        [$"/badges/{slug}.json"] = await BadgeJsonAsync(slug),
        ["/badges/stack.svg"] = await StackBadgeAsync(),
    };

    /// <summary>
    /// A page component's HTML, rendered statically as a <see cref="RazorComponentResult"/> is, without a request. The
    /// public pages inject nothing, so the renderer gets services of its own: the hub's Razor registrations want a web host.
    /// </summary>
    private static async Task<string> RenderAsync(RazorComponentResult page)
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>(page.Parameters));
        return await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync(page.ComponentType, parameters)).ToHtmlString());
    }
}
