using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Ui;

/// <summary>The owner's pages and their actions in Chromium, each page checked with axe-core.</summary>
[Collection(BrowserCollection.Name)]
[Trait(Needs.Key, Needs.Browser)]
public sealed class OwnerPagesBrowserTests(BrowserHub hub) : IAsyncLifetime
{
    private const string PaymentLink = "Stripe payment link + Tax ID setup";
    private const string PoisonId = "pi_poison_for_the_replay_test";

    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Stack => $"""
        timeZone: UTC
        micromasteries:
          - staple: stripe-payment-link
            started: {DateTime.UtcNow.AddDays(-2):yyyy-MM-dd}
            checks:
              - type: stripe.test-payment
          - staple: cursor-inline-edit
            started: {Today}
            checks:
              - type: manual
        """;

    public Task InitializeAsync() => hub.ResetAsync(Stack);

    public async Task DisposeAsync()
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        await connection.ExecuteAsync("DROP TRIGGER IF EXISTS poison");
    }

    [Fact]
    public async Task StackPage_AfterASignedStripeWebhook_ShowsThePayoffVerified_AndLinksToItsEvidence()
    {
        var paymentIntent = StripeEvents.NewId("pi_");
        await PostStripeAsync(StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent));
        await hub.Client.VerifiedAsync("stripe-payment-link");
        var page = await hub.NewPageAsync();

        await page.GotoAsync("/");
        var row = page.Locator("tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = PaymentLink }) });
        var payoff = await row.Locator(".tag").InnerTextAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = PaymentLink }).ClickAsync();
        var evidence = await page.Locator("#evidence-title + ol").InnerTextAsync();

        Assert.StartsWith("verified " + Today, payoff, StringComparison.Ordinal);
        Assert.EndsWith("/micromasteries/stripe-payment-link", page.Url, StringComparison.Ordinal);
        Assert.Contains(paymentIntent, evidence, StringComparison.Ordinal);
        Assert.Contains("stripe", evidence, StringComparison.Ordinal);
        await BrowserHub.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task PracticeForm_LogsASession_AndTodaysHeatmapCellChanges()
    {
        var page = await hub.NewPageAsync();
        await page.GotoAsync("/");
        var before = await page.Locator("td.heat-today").GetAttributeAsync("title");

        await page.GotoAsync("/micromasteries/cursor-inline-edit");
        await page.GetByLabel("Day", new() { Exact = true }).FillAsync(Today);
        await page.GetByLabel("Minutes", new() { Exact = true }).FillAsync("95");
        await page.GetByLabel("Note", new() { Exact = true }).Last.FillAsync("first end-to-end edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log practice" }).ClickAsync();
        var notice = await page.Locator(".owner-notice").InnerTextAsync();
        var sessions = await page.Locator("#practice table").InnerTextAsync();
        await page.GotoAsync("/");
        var after = page.Locator("td.heat-today");

        Assert.Equal($"{DateTime.UtcNow:ddd yyyy-MM-dd}: 0 min practised, 0 evidence", before);
        Assert.Equal("Practice logged.", notice);
        Assert.Contains("first end-to-end edit", sessions, StringComparison.Ordinal);
        Assert.Equal($"{DateTime.UtcNow:ddd yyyy-MM-dd}: 95 min practised, 0 evidence", await after.GetAttributeAsync("title"));
        Assert.Contains("heat-3", await after.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        Assert.Contains("95 of 630 min", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PracticeForm_InTheFuture_IsRefusedWithTheReasonNextToTheField()
    {
        var page = await hub.NewPageAsync();
        await page.GotoAsync("/micromasteries/cursor-inline-edit");

        await page.GetByLabel("Day", new() { Exact = true }).FillAsync(DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByLabel("Minutes", new() { Exact = true }).FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log practice" }).ClickAsync();

        Assert.Equal("practice cannot be logged in the future", await page.Locator("#practice-error").InnerTextAsync());
        Assert.Equal("true", await page.GetByLabel("Day", new() { Exact = true }).GetAttributeAsync("aria-invalid"));
        Assert.Equal("30", await page.GetByLabel("Minutes", new() { Exact = true }).InputValueAsync());
        Assert.Empty(await hub.Service<Hub.Practice.PracticeStore>().ListAsync(null, null, null, CancellationToken.None));
        await BrowserHub.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task CheckNow_RunsTheCheckThroughItsJob_AndThePageShowsItsAnswer()
    {
        var page = await hub.NewPageAsync();
        await page.GotoAsync("/micromasteries/stripe-payment-link");
        var row = page.Locator("tr", new() { Has = page.Locator("code", new() { HasTextString = "stripe.test-payment" }) });
        var before = await row.Locator(".tag").First.InnerTextAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Check now stripe.test-payment" }).ClickAsync();
        var notice = await page.Locator(".owner-notice").InnerTextAsync();
        var after = await Eventually.ReturnsAsync(async () =>
        {
            await page.ReloadAsync();
            return await row.Locator(".tag").First.InnerTextAsync();
        }, state => state == CheckStates.Waiting, "the check to answer");

        Assert.Equal(CheckStates.Pending, before);
        Assert.StartsWith("The check is running now", notice, StringComparison.Ordinal);
        Assert.Contains("Stripe:ApiKey", await row.InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync("/");
        // Without an API key a webhook can still prove a test payment: waiting, neutral, never red "not configured".
        var main = await page.Locator("main").InnerTextAsync();
        Assert.Contains("Waiting for a webhook: Connections shows the URL to give the service (polling needs Stripe:ApiKey; a webhook needs none).", main, StringComparison.Ordinal);
        Assert.DoesNotContain("not configured", main, StringComparison.OrdinalIgnoreCase);
        await BrowserHub.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task Inbox_ReplayOfAFailedEventAfterItsCauseIsFixed_ProcessesItAndRecordsTheReplay()
    {
        await using (var connection = await hub.Service<HubDatabase>().OpenAsync())
        {
            await connection.ExecuteAsync($"CREATE TRIGGER poison BEFORE INSERT ON observations WHEN NEW.external_id = '{PoisonId}' BEGIN SELECT RAISE(ABORT, 'poisoned for the test'); END");
        }

        await PostStripeAsync(StripeEvents.PaymentIntentSucceeded(paymentIntentId: PoisonId));
        await DriveToFailedAsync();
        await using (var connection = await hub.Service<HubDatabase>().OpenAsync())
        {
            await connection.ExecuteAsync("DROP TRIGGER poison"); // the cause, fixed
        }

        var page = await hub.NewPageAsync();
        await page.GotoAsync("/inbox");
        await page.GetByLabel("State").SelectOptionAsync("failed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        var failedRow = await page.Locator("tbody tr").InnerTextAsync();
        await page.Locator("tbody tr a").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay this event" }).ClickAsync();
        var notice = await page.Locator(".owner-notice").InnerTextAsync();
        await hub.Client.VerifiedAsync("stripe-payment-link");
        await page.ReloadAsync();
        var facts = await page.Locator(".facts").InnerTextAsync();
        var replays = await page.Locator("main ul").Last.InnerTextAsync();

        Assert.Contains("failed", failedRow, StringComparison.Ordinal);
        Assert.Contains("poisoned for the test", failedRow, StringComparison.Ordinal);
        Assert.StartsWith("Replayed (it was failed)", notice, StringComparison.Ordinal);
        Assert.Contains("processed", facts, StringComparison.Ordinal);
        Assert.Contains($"by owner (this machine) (it was failed: could not be recorded after {InboxProcessor.MaxAttempts} attempts", replays, StringComparison.Ordinal);
        await BrowserHub.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task EmailPage_PreviewsThisWeeksEmail_AndSaysWhySendingIsOff()
    {
        var page = await hub.NewPageAsync();

        await page.GotoAsync("/email");
        var text = await page.Locator("pre.email-text").InnerTextAsync();
        var frameSource = await page.Locator("a.email-html-link").GetAttributeAsync("href");
        var html = await hub.Client.GetStringAsync(frameSource);

        Assert.Contains(PaymentLink, text, StringComparison.Ordinal);
        Assert.Contains(PaymentLink, html, StringComparison.Ordinal);
        Assert.Contains("Sending is off", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserHub.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task StackPage_AfterABadEditOfTheStackFile_ShowsTheErrorWithLineAndColumn_AndKeepsTheStack()
    {
        await File.WriteAllTextAsync(hub.StackPath, Stack + "\n      - type: no.such-check\n");
        hub.Service<Hub.Stack.StackStore>().Reload();
        var page = await hub.NewPageAsync();

        await page.GotoAsync("/");
        var banner = await page.GetByRole(AriaRole.Alert).InnerTextAsync();

        Assert.Contains("The last edit of the stack file was rejected", banner, StringComparison.Ordinal);
        Assert.Matches(@"stack\.yml:\d+:\d+ — .*no\.such-check", banner);
        Assert.Equal(2, await page.Locator(".stack-table tbody tr").CountAsync());
        await BrowserHub.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task UnknownMicromastery_IsA404PageThatLinksBack()
    {
        var page = await hub.NewPageAsync();

        var response = await page.GotoAsync("/micromasteries/no-such-skill");

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        Assert.Contains("no-such-skill", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the stack" }).ClickAsync();
        Assert.Equal(hub.BaseUrl + "/", page.Url);
        await BrowserHub.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task EveryPage_AtDesktopAndPhoneWidths_HasNoSeriousAccessibilityViolation_AndIsScreenshotted()
    {
        await PostStripeAsync(StripeEvents.PaymentIntentSucceeded());
        await hub.Client.VerifiedAsync("stripe-payment-link");
        await hub.QuiesceAsync();
        var practice = hub.Service<Hub.Practice.PracticeStore>();
        var stack = hub.Service<Hub.Stack.StackStore>().Current;
        for (var day = 0; day < 120; day += 1 + day % 4)
        {
            var date = DateTime.UtcNow.AddDays(-day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var (session, _, _) = new Hub.Practice.PracticeInput(null, day % 3 == 0 ? "cursor-inline-edit" : "stripe-payment-link", date, null, 20 + day * 7 % 180, null)
                .Validate(stack, DateTimeOffset.UtcNow);
            await practice.AddAsync(session!, CancellationToken.None);
        }

        long eventId;
        await using (var connection = await hub.Service<HubDatabase>().OpenAsync())
        {
            eventId = await connection.ExecuteScalarAsync<long>("SELECT min(id) FROM inbox_events");
        }

        string[] pages = ["/", "/micromasteries/stripe-payment-link", "/micromasteries/cursor-inline-edit", "/inbox", $"/inbox/{eventId}", "/email", "/micromasteries/no-such-skill"];
        string[] names = ["stack", "micromastery", "micromastery-manual", "inbox", "inbox-event", "email", "not-found"];
        foreach (var width in new[] { 1280, 390 })
        {
            var page = await hub.NewPageAsync(width);
            for (var i = 0; i < pages.Length; i++)
            {
                await page.GotoAsync(pages[i]);
                await BrowserHub.AssertAccessibleAsync(page);
                // Wide tables scroll inside their own box; the page itself never scrolls sideways.
                Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width,
                    $"{pages[i]} is wider than {width} px: " + await page.EvaluateAsync<string>(
                        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.parentElement.closest('.table-scroll'))" +
                        ".map(e => e.tagName + '.' + e.className + ' «' + (e.textContent || '').trim().slice(0, 60) + '»').slice(0, 4).join(' | ')"));
                await BrowserHub.ScreenshotAsync(page, names[i]);
            }

            await page.Context.CloseAsync();
        }
    }

    private async Task PostStripeAsync(string body) =>
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)))).StatusCode);

    /// <summary>Runs the drain as the sweep would, once per attempt (each made due at once), until the poisoned event is failed.</summary>
    private async Task DriveToFailedAsync()
    {
        await Eventually.ReturnsAsync(async () =>
        {
            await using var connection = await hub.Service<HubDatabase>().OpenAsync();
            // An event's own failure backs off between attempts (10 s, 1 min, …): make each attempt due at once.
            await connection.ExecuteAsync($"UPDATE inbox_events SET next_attempt_at = 0 WHERE state = 0 AND body LIKE '%{PoisonId}%'");
            await ActivatorUtilities.CreateInstance<InboxDrainJob>(hub.Factory.Services).RunAsync(CancellationToken.None);
            return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM inbox_events WHERE state = 3 AND body LIKE '%{PoisonId}%'");
        }, n => n == 1, "the poisoned event to fail");
    }
}
