using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Micromastery.Hub.Email;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Email;

/// <summary>
/// The weekly email through the running hub: send-now over the API and the queued job, and a crash under the job; below,
/// the page's send-now button and the API as two adapters of one path (<see cref="SendNowAdapterTests"/>).
/// </summary>
public abstract class WeeklySendJobTests(EmailHubFixture hub) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await hub.ResetAsync();
        await hub.MailDev.ClearAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private IsoWeek Week => hub.Service<WeeklyEmailRenderer>().CurrentWeek();

    /// <summary>
    /// A week of its own for each test that drives the sender directly, so nothing else in the shared hub
    /// (a start-up catch-up, another test's retry) can touch its send records or its emails.
    /// </summary>
    private static IsoWeek WeekOf([System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        new(2025, 1 + (int)(BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(test))) % 52));

    private async Task<List<System.Text.Json.Nodes.JsonNode>> EmailsOfAsync(IsoWeek week) =>
        (await hub.MailDev.EmailsAsync()).Where(e => e!["subject"]!.GetValue<string>().Contains(week.Key, StringComparison.Ordinal)).Select(e => e!).ToList();

    private WeeklySender SenderWith(IMailTransport transport) =>
        ActivatorUtilities.CreateInstance<WeeklySender>(hub.Factory.Services, transport);

    [Fact]
    public async Task SendNow_DeliversOneMultipartEmailPerRecipient_AndNothingMoreThatWeek()
    {
        var paymentIntent = StripeEvents.NewId("pi_");
        var body = StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent);
        await hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
        await hub.Client.VerifiedAsync("stripe-payment-link");
        var link = $"https://dashboard.stripe.com/test/payments/{paymentIntent}";

        var response = await hub.Client.PostAsync("/api/weekly/send", null);
        var emails = await hub.MailDev.WaitForAsync(2);
        await hub.QuiesceAsync();
        var again = await hub.Client.PostAsync("/api/weekly/send", null);
        await hub.QuiesceAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        emails = await hub.MailDev.EmailsAsync();
        Assert.Equal(2, emails.Count);
        Assert.Equal(["coach@example.test", "solo@example.test"], emails.Select(e => e!["to"]![0]!["address"]!.GetValue<string>()).Order().ToArray());
        foreach (var email in emails)
        {
            Assert.Equal($"Micromastery week {Week.Key}: 1 payoff verified this week, 1 in total", email!["subject"]!.GetValue<string>());
            Assert.Equal("hub@example.test", email["from"]![0]!["address"]!.GetValue<string>());
            Assert.Contains($"href=\"{link}\"", email["html"]!.GetValue<string>());
            Assert.Contains(link, email["text"]!.GetValue<string>());
            var source = MimeMessage.Load(await hub.MailDev.Http.GetStreamAsync($"email/{email["id"]}/source"));
            var alternative = Assert.IsType<MultipartAlternative>(source.Body);
            Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType).ToArray());
            Assert.StartsWith($"weekly.{Week.Key.ToLowerInvariant()}.", source.MessageId);
        }

        var records = await hub.Client.GetFromJsonAsync<List<WeeklySendRecord>>($"/api/weekly/sends?week={Week.Key}", HubClientExtensions.Json);
        Assert.All(records!, r => Assert.Equal(SendStates.Sent, r.State));
        Assert.Equal(2, records!.Count);
    }

    [Fact]
    public async Task CrashDuringTheSmtpTransaction_IsNeverResent()
    {
        var week = WeekOf();
        var crashing = SenderWith(new DiesAfterSending(hub.Service<IMailTransport>()));

        var first = await crashing.SendWeekAsync(week, retakeFailed: false, CancellationToken.None);
        var second = await hub.Service<WeeklySender>().SendWeekAsync(week, retakeFailed: false, CancellationToken.None);
        hub.Service<WeeklyEmailJob>().Enqueue(week, retakeFailed: false);
        await hub.QuiesceAsync();

        Assert.All(first, r => Assert.True(SendOutcome.Uncertain == r.Outcome, r.ToString()));
        Assert.All(second, r => Assert.Equal(SendOutcome.Uncertain, r.Outcome));
        Assert.All(second, r => Assert.Contains("delivery uncertain", r.Reason));
        Assert.Equal(2, (await EmailsOfAsync(week)).Count);
    }

    /// <summary>Hands the message to the server, then the connection dies before the sender learns it went through.</summary>
    private sealed class DiesAfterSending(IMailTransport inner) : IMailTransport
    {
        public async Task<bool> SendAsync(MimeMessage message, Func<CancellationToken, Task<bool>> beforeData, CancellationToken cancellationToken)
        {
            await inner.SendAsync(message, beforeData, cancellationToken);
            throw new IOException("simulated crash: connection lost after the message was accepted");
        }
    }
}

[Collection(EmailSqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class WeeklySendJobTests_Sqlite(EmailSqliteHub hub) : WeeklySendJobTests(hub);

[Collection(EmailPostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class WeeklySendJobTests_Postgres(EmailPostgresHub hub) : WeeklySendJobTests(hub);

/// <summary>
/// "Send now" has one path (<see cref="WeeklySendNow"/>): the /email page's button and <c>POST /api/weekly/send</c> both queue
/// this week's send job, so pressing one and calling the other still delivers exactly one email per recipient.
/// </summary>
[Collection(EmailSqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed partial class SendNowAdapterTests(EmailSqliteHub hub) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await hub.ResetAsync();
        await hub.MailDev.ClearAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SendNow_FromThePageThenTheApi_DeliversOneEmailPerRecipient()
    {
        var week = hub.Service<WeeklyEmailRenderer>().CurrentWeek();
        var token = TokenField().Match(await hub.Client.GetStringAsync("/email"));
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) });

        var page = await hub.Client.PostAsync("/email/send", form);
        await hub.MailDev.WaitForAsync(EmailHubFixture.To.Length);
        await hub.QuiesceAsync();
        var api = await hub.Client.PostAsync("/api/weekly/send", null);
        await hub.QuiesceAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal($"/email?queued={week.Key}", page.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.Contains($"this week's email ({week.Key}) is queued", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, api.StatusCode);
        Assert.Equal(EmailHubFixture.To.Length, (await hub.MailDev.EmailsAsync()).Count);
        var records = await hub.Client.GetFromJsonAsync<List<WeeklySendRecord>>($"/api/weekly/sends?week={week.Key}", HubClientExtensions.Json);
        Assert.Equal(EmailHubFixture.To.Length, records!.Count);
        Assert.All(records, r => Assert.Equal(SendStates.Sent, r.State));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
