using System.Net;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using static Micromastery.Hub.Tests.PublicPage.PublicScenario;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>
/// The public pages in a real browser (Debian's Chromium, driven by Playwright): axe finds no serious or critical
/// violation in light or dark mode, the page loads nothing from another host, and both pages are captured for the docs.
/// </summary>
[Trait(Needs.Key, Needs.Browser)]
public sealed class PublicPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task PublicPages_HaveNoSeriousAccessibilityViolations_AndLoadOnlyFromTheHub(ColorScheme scheme)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (.ci/run does this)");
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, PublicScenario.Stack);
        var origin = StartKestrel(hub);
        using var owner = new HttpClient { BaseAddress = new Uri(origin) };
        await ArrangeAsync(owner);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 800 }, ColorScheme = scheme });
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(request.Url);

        var problems = new List<string>();
        foreach (var path in new[] { "/public", $"/public/{PublicSlug}" })
        {
            var response = await page.GotoAsync(origin + path);
            Assert.Equal(200, response!.Status);
            if (scheme == ColorScheme.Light)
            {
                await page.ScreenshotAsync(new() { Path = Screenshots.PathFor(path == "/public" ? "public.png" : "public-micromastery.png"), FullPage = true });
            }

            var axe = await page.RunAxe();
            problems.AddRange(axe.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{path}: {v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }

        Assert.Empty(problems);
        Assert.All(requested, url => Assert.StartsWith(origin + "/", url, StringComparison.Ordinal));
        Assert.Contains(requested, url => url.EndsWith("/css/hub.css", StringComparison.Ordinal));
        Assert.Contains(requested, url => url.EndsWith("/badges/stack.svg", StringComparison.Ordinal));
    }

    private static string StartKestrel(DedicatedHub hub)
    {
        var factory = hub.Start();
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }
}
