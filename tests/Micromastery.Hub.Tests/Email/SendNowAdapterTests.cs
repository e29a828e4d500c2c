using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Micromastery.Hub.Email;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Email;

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
