using Microsoft.Playwright;
using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Ui;

/// <summary>
/// In Chromium: a <c>javascript:</c> link from provider data (a GitHub run's <c>html_url</c>) or typed into a case
/// study never becomes a link on the owner's page or a stranger's; the sign-in page's "Continue" never leaves the hub.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait(Needs.Key, Needs.Browser)]
public sealed class HostileLinkBrowserTests(BrowserHub hub) : IAsyncLifetime
{
    private const string Slug = "hostile";
    private const string HostileUrl = "javascript:document.title='pwned'";

    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - slug: hostile
            name: Hostile links
            layer: A
            started: 2026-11-20
            public: true
            checks:
              - type: github.workflow-run
                repo: acme/site
        """;

    public Task InitializeAsync() => hub.ResetAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task JavascriptLinks_AreNeverLinks_OnTheOwnersOrAStrangersPage()
    {
        await using (var batch = await hub.Service<PayoffLedger>().BeginAsync(CancellationToken.None))
        {
            await batch.RecordAsync([WorkflowRunObservation.Create(777, "acme/site", ".github/workflows/ci.yml", "CI", "main", "push", "success",
                DateTimeOffset.UtcNow, HostileUrl, repositoryPrivate: false)], CancellationToken.None);
            await batch.CompleteAsync(CancellationToken.None);
        }

        // The verified payoff writes a draft of its own in the background: let it land first, so the hostile one is the latest.
        await hub.QuiesceAsync();

        var version = await hub.Service<DraftStore>().AddAsync(Slug, $"# Hostile\n\n[click me]({HostileUrl}) and <{HostileUrl}> and [fine](https://example.com/ok)\n",
            DraftStore.OnDemand, onlyIfNone: false, CancellationToken.None);
        Assert.True(await hub.Service<PublicationStore>().PublishAsync(Slug, version!.Value, CancellationToken.None));
        var page = await hub.NewPageAsync();

        foreach (var path in new[] { $"/micromasteries/{Slug}", $"/public/{Slug}" })
        {
            await page.GotoAsync(path);
            var protocols = await page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.protocol)");
            var clickable = await page.GetByText("click me").EvaluateAsync<bool>("e => e.closest('a') !== null");

            Assert.NotEmpty(protocols);
            Assert.All(protocols, p => Assert.Contains(p, new[] { "http:", "https:" }));
            Assert.False(clickable, $"{path}: 'click me' is still a link");
            Assert.Equal(1, await page.Locator("a[href='https://example.com/ok']").CountAsync());
        }
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0A/evil.example")]
    [InlineData("/%5C/evil.example")]
    public async Task SignInPage_Continue_StaysOnTheHub(string escapedReturnUrl)
    {
        var page = await hub.NewPageAsync();
        await page.GotoAsync("/login?returnUrl=" + escapedReturnUrl);

        try
        {
            await page.GetByRole(AriaRole.Link, new() { NameString = "Continue to" }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        }
        catch (PlaywrightException)
        {
            // A navigation to a host this closed network cannot reach fails; where it went is what the test reads.
        }

        Assert.StartsWith(hub.BaseUrl + "/", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", page.Url, StringComparison.Ordinal);
    }
}
