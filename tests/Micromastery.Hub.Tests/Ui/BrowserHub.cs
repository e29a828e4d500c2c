using System.Net;
using Dapper;
using Deque.AxeCore.Playwright;
using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Ui;

/// <summary>
/// One hub on real Kestrel (127.0.0.1: the owner, no sign-in) and one Debian Chromium, shared by the browser
/// tests: launching a browser per test would cost more than the tests. Nothing downloads a browser.
/// </summary>
[Starts(Needs.Browser)]
public sealed class BrowserHub : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private DedicatedHub _hub = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HubFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        Factory = _hub.Start();
        Factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl) };

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public T Service<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    /// <summary>A fresh page (its own cookies) at a phone's or a desktop's width.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 }, BaseURL = BaseUrl });
        return await context.NewPageAsync();
    }

    /// <summary>Empty tables and <paramref name="stackYaml"/> as the stack, after the previous test's jobs are done.</summary>
    public async Task ResetAsync(string stackYaml)
    {
        await QuiesceAsync();
        await HubFixture.EmptyAllTablesAsync(Service<HubDatabase>());
        await File.WriteAllTextAsync(_hub.StackPath, stackYaml);
        var errors = Service<StackStore>().Reload();
        Assert.True(errors.Count == 0, "test stack is invalid: " + string.Join("; ", errors));
        await QuiesceAsync();
    }

    public string StackPath => _hub.StackPath;

    public async Task QuiesceAsync()
    {
        var monitor = Service<JobStorage>().GetMonitoringApi();
        var database = Service<HubDatabase>();
        var quiet = 0;
        await Eventually.ReturnsAsync(async () =>
        {
            await using var connection = await database.OpenAsync();
            var busy = monitor.ProcessingCount() + monitor.Queues().Sum(q => q.Length) + await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE state = 0");
            quiet = busy == 0 ? quiet + 1 : 0;
            return quiet;
        }, n => n >= 3, "background jobs to finish");
    }

    /// <summary>No serious or critical axe-core violation on the page as it is now.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(bad.Count == 0, $"{page.Url}: " + string.Join("\n", bad));
    }

    /// <summary>A full-page screenshot, where <see cref="Screenshots"/> says (a test artifact; docs/screenshots with HUB_UPDATE_SCREENSHOTS=1).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var width = page.ViewportSize?.Width ?? 0;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor($"{name}-{width}.png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        Client.Dispose();
        await _hub.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserHub>
{
    public const string Name = "hub in Chromium";
}
