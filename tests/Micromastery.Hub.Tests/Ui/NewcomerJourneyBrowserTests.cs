using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Ui;

/// <summary>
/// The newcomer's first payoff in Chromium, from an empty data folder and no stack file: the stack page points to the
/// catalog, Start adds stripe-payment-link, the connections page gives the Stripe webhook URL, a signed test event
/// (as the README sends it) arrives there, and the stack shows the payoff verified — axe clean, no console error.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait(Needs.Key, Needs.Browser)]
public sealed class NewcomerJourneyBrowserTests(BrowserHub browser)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task FromAnEmptyFolder_CatalogStartConnectAndAWebhook_VerifyThePayoffInTheBrowser(int width)
    {
        await using var own = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        File.Delete(own.StackPath); // an empty folder: the hub writes its own first stack
        var factory = own.Start();
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 }, BaseURL = baseUrl });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // Chromium asks every site for /favicon.ico; the hub's icon is another change's (Access), not this journey's.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync("/");
        var firstStep = await page.Locator("#first-step-title").InnerTextAsync();
        await BrowserHub.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Pick one from the catalog" }).ClickAsync();
        await BrowserHub.AssertAccessibleAsync(page);
        await BrowserHub.ScreenshotAsync(page, "catalog");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start Stripe payment link + Tax ID setup" }).ClickAsync();
        var started = await page.Locator(".owner-notice").InnerTextAsync();
        var startedUrl = page.Url;
        await page.GetByRole(AriaRole.Link, new() { Name = "Connections" }).ClickAsync();
        var webhookUrl = await page.Locator("#stripe-url").InnerTextAsync();
        var command = await page.Locator("#stripe pre.command").InnerTextAsync();
        await BrowserHub.AssertAccessibleAsync(page);
        await BrowserHub.ScreenshotAsync(page, "connections");

        // What the README's step sends: a test-mode payment created now, signed with the configured secret.
        var body = StripeEvents.PaymentIntentSucceeded();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhookUrl) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret));
        var delivered = await client.SendAsync(request);
        var payoff = await Eventually.ReturnsAsync(async () =>
        {
            await page.GotoAsync("/");
            var row = page.Locator("tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "Stripe payment link + Tax ID setup" }) });
            return await row.Locator(".tag").InnerTextAsync();
        }, text => text.StartsWith("verified", StringComparison.Ordinal), "the stack page to show the payoff verified");
        await BrowserHub.AssertAccessibleAsync(page);

        Assert.Equal("First step: start a micromastery", firstStep);
        Assert.EndsWith("/micromasteries/stripe-payment-link?done=started", startedUrl, StringComparison.Ordinal);
        Assert.StartsWith("Started:", started, StringComparison.Ordinal);
        Assert.Equal($"{baseUrl}/webhooks/stripe", webhookUrl);
        Assert.Equal($"stripe listen --forward-to {baseUrl}/webhooks/stripe", command);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.StartsWith("verified", payoff, StringComparison.Ordinal);
        Assert.Contains("- staple: stripe-payment-link", await File.ReadAllTextAsync(own.StackPath), StringComparison.Ordinal);
        Assert.Empty(errors);
        await context.CloseAsync();
    }
}
