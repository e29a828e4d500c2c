using System.Globalization;
using System.Net;
using Dapper;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// What the owner sees of events recovered by reconciliation: the /inbox filter and the event's word on trust, the
/// 30-day "never arrived by webhook" count on /connections and in the weekly email (sent to a real SMTP server),
/// and the recurring jobs on the configured schedule.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class RecoveredEventsTests
{
    /// <summary>Two Stripe events recovered now, one recovered 40 days ago (outside the count), one by webhook.</summary>
    private static async Task<(string[] Recovered, string Old, string Webhook)> SeedAsync(HubFactory factory)
    {
        var writer = factory.Services.GetRequiredService<InboxWriter>();
        var recovered = new[] { StripeEvents.PaymentIntentSucceeded(), StripeEvents.PaymentIntentSucceeded() };
        var old = StripeEvents.PaymentIntentSucceeded();
        var webhook = StripeEvents.PaymentIntentSucceeded();
        foreach (var body in recovered.Append(old))
        {
            Assert.Equal(InboxWriteResult.Stored, await writer.WriteAsync(new InboxEvent("stripe", Id(body), "payment_intent.succeeded", body, InboxVia.Reconciliation), CancellationToken.None));
        }

        Assert.Equal(InboxWriteResult.Stored, await writer.WriteAsync(new InboxEvent("stripe", Id(webhook), "payment_intent.succeeded", webhook), CancellationToken.None));
        await using var connection = await factory.Services.GetRequiredService<HubDatabase>().OpenAsync();
        await connection.ExecuteAsync("UPDATE inbox_events SET received_at = @at WHERE event_id = @id",
            new { at = DateTimeOffset.UtcNow.AddDays(-40).ToUnixTimeMilliseconds(), id = Id(old) });
        return ([.. recovered.Select(Id)], Id(old), Id(webhook));
    }

    private static string Id(string body) => System.Text.Json.Nodes.JsonNode.Parse(body)!["id"]!.GetValue<string>();

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task RecoveredEvents_FilteredOnInbox_SayWhyTrusted_CountedOnConnections(StorageProvider provider)
    {
        await using var hub = await DedicatedHub.CreateAsync(provider);
        var factory = hub.Start(new Dictionary<string, string?> { ["Stripe:ApiKey"] = "sk_test_recovered_0123456789" });
        var client = factory.CreateClient();
        var (recovered, old, webhook) = await SeedAsync(factory);

        var list = await client.GetStringAsync("/inbox?via=recovered");
        var byWebhook = await client.GetStringAsync("/inbox?via=webhook");
        var bad = await client.GetAsync("/inbox?via=carrier-pigeon");
        await using var connection = await factory.Services.GetRequiredService<HubDatabase>().OpenAsync();
        var recoveredRow = await connection.ExecuteScalarAsync<long>("SELECT id FROM inbox_events WHERE event_id = @id", new { id = recovered[0] });
        var webhookRow = await connection.ExecuteScalarAsync<long>("SELECT id FROM inbox_events WHERE event_id = @id", new { id = webhook });
        var recoveredPage = WebUtility.HtmlDecode(await client.GetStringAsync($"/inbox/{recoveredRow}"));
        var webhookPage = WebUtility.HtmlDecode(await client.GetStringAsync($"/inbox/{webhookRow}"));
        var connections = WebUtility.HtmlDecode(await client.GetStringAsync("/connections"));

        Assert.All(recovered.Append(old), id => Assert.Contains(id, list, StringComparison.Ordinal));
        Assert.DoesNotContain(webhook, list, StringComparison.Ordinal);
        Assert.Contains(webhook, byWebhook, StringComparison.Ordinal);
        Assert.DoesNotContain(recovered[0], byWebhook, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("trusted because it came from the provider's API over TLS, asked with the owner's key", recoveredPage, StringComparison.Ordinal);
        Assert.DoesNotContain("owner's key", webhookPage, StringComparison.Ordinal);
        Assert.Contains("its signature was verified", webhookPage, StringComparison.Ordinal);
        var stripe = Section(connections, "stripe");
        Assert.Contains("2 events", stripe, StringComparison.Ordinal);
        Assert.Contains("/inbox?provider=stripe&via=recovered", stripe, StringComparison.Ordinal);
        Assert.Contains("webhook URL or secret is wrong", stripe, StringComparison.Ordinal);
        Assert.Contains("none: every event in the service's own log also arrived by webhook", Section(connections, "github"), StringComparison.Ordinal);
        Assert.DoesNotContain("Never arrived by webhook", Section(connections, "calcom"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeeklyEmail_SaysHowManyNeverArrivedByWebhook_OnlyWhenSome()
    {
        using var maildev = MailDevServer.Start();
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = maildev.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:From"] = "hub@example.test",
            ["Email:To:0"] = "solo@example.test",
            ["Public:BaseUrl"] = "https://hub.example.test",
        });
        var client = factory.CreateClient();
        var before = await client.GetStringAsync("/api/weekly/preview?format=text");
        await SeedAsync(factory);

        // A week of its own: the start-up catch-up may already have sent this week's (before the events were seeded).
        var week = new Micromastery.Hub.Email.IsoWeek(2025, 7);
        var results = await factory.Services.GetRequiredService<Micromastery.Hub.Email.WeeklySender>().SendWeekAsync(week, retakeFailed: false, CancellationToken.None);
        var email = (await Eventually.ReturnsAsync(maildev.EmailsAsync, emails => emails.Any(e => Subject(e!).Contains(week.Key, StringComparison.Ordinal)), "the week's email"))
            .Single(e => Subject(e!).Contains(week.Key, StringComparison.Ordinal))!;

        Assert.Single(results);
        Assert.DoesNotContain("never arrived by webhook", before, StringComparison.Ordinal);
        var text = email["text"]!.GetValue<string>();
        var html = WebUtility.HtmlDecode(email["html"]!.GetValue<string>());
        Assert.Contains("* [webhook] Stripe sent 2 events in the last 30 days that never arrived by webhook", text, StringComparison.Ordinal);
        Assert.Contains("the webhook endpoint or secret may be wrong", text, StringComparison.Ordinal);
        Assert.Contains("See https://hub.example.test/connections.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("GitHub sent", text, StringComparison.Ordinal);
        Assert.Contains("Stripe sent 2 events in the last 30 days that never arrived by webhook", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://hub.example.test/connections\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconciliationJobs_OnePerProviderWithALog_OnTheConfiguredSchedule()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(new Dictionary<string, string?> { ["Reconciliation:Schedule"] = "*/15 * * * *" });
        _ = factory.Server;

        List<RecurringJobDto> jobs;
        using (var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            jobs = [.. connection.GetRecurringJobs().Where(j => j.Id.StartsWith(ReconciliationJob.IdPrefix, StringComparison.Ordinal))];
        }

        Assert.Equal(["reconcile:github", "reconcile:stripe"], jobs.Select(j => j.Id).Order().ToArray());
        Assert.All(jobs, j => Assert.Equal("*/15 * * * *", j.Cron));
    }

    [Fact]
    public async Task InvalidReconciliationSchedule_RefusedAtStart()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(new Dictionary<string, string?> { ["Reconciliation:Schedule"] = "every hour" });

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Reconciliation:Schedule is not a valid cron expression", error.Message, StringComparison.Ordinal);
    }

    private static string Subject(System.Text.Json.Nodes.JsonNode email) => email["subject"]!.GetValue<string>();

    /// <summary>The connections page's section of one provider.</summary>
    private static string Section(string page, string provider)
    {
        var start = page.IndexOf($"<section class=\"connection\" id=\"{provider}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section for {provider}");
        var end = page.IndexOf("</section>", start, StringComparison.Ordinal);
        return page[start..end];
    }
}
