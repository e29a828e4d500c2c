using System.Net;
using System.Text.RegularExpressions;
using Micromastery.Hub.Practice;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Practice;

/// <summary>The micromastery page's practice form, posted as a browser would (token, form fields), on both providers.</summary>
public abstract partial class PracticeFormTests(HubFixture hub) : IAsyncLifetime
{
    private const string Page = "/micromasteries/stripe-payment-link";

    private static readonly DateOnly Day = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-5));

    private static string DayText => Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public Task InitializeAsync() => hub.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ValidForm_StoresTheSession_AndRedirectsToThePageSayingSo()
    {
        var token = await TokenAsync();

        var answer = await PostAsync(token, DayText, "45", "webhook debugging");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.EndsWith("?done=practice", answer.RequestMessage!.RequestUri!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("Practice logged.", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var session = Assert.Single(await hub.Service<PracticeStore>().ListAsync(null, null, "stripe-payment-link", CancellationToken.None));
        Assert.Equal((Day, 45, "webhook debugging"), (session.Date, session.Minutes, session.Note));
    }

    [Fact]
    public async Task FormWithoutToken_IsRefused_AndStoresNothing()
    {
        var answer = await PostAsync(("__RequestVerificationToken", ""), DayText, "45", null);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Empty(await hub.Service<PracticeStore>().ListAsync(null, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task BadMinutes_AreShownNextToTheField_AndStoreNothing()
    {
        var token = await TokenAsync();

        var answer = await PostAsync(token, DayText, "0", null);
        var html = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("id=\"practice-error\" class=\"field-error wide\">minutes must be between 1 and 1440", html, StringComparison.Ordinal);
        Assert.Empty(await hub.Service<PracticeStore>().ListAsync(null, null, null, CancellationToken.None));
    }

    private async Task<(string Name, string Value)> TokenAsync()
    {
        var html = await hub.Client.GetStringAsync(Page);
        var match = TokenField().Match(html);
        Assert.True(match.Success, "the page has no antiforgery field");
        return (match.Groups[1].Value, WebUtility.HtmlDecode(match.Groups[2].Value));
    }

    private Task<HttpResponseMessage> PostAsync((string Name, string Value) token, string date, string minutes, string? note) =>
        hub.Client.PostAsync(Page + "/practice", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Name] = token.Value, ["date"] = date, ["minutes"] = minutes, ["note"] = note ?? "",
        }));

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class PracticeFormTests_Sqlite(SqliteHub hub) : PracticeFormTests(hub);

[Collection(PostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class PracticeFormTests_Postgres(PostgresHub hub) : PracticeFormTests(hub);
