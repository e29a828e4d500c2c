using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>
/// Each owner action has one service method; the JSON API and the micromastery page's form are adapters over it.
/// The same input through either gives the same stored outcome, the same refusal and the same log line.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed partial class OwnerActionAdapterTests(OwnerActionAdapterTests.LoggingHub hub) : IClassFixture<OwnerActionAdapterTests.LoggingHub>, IAsyncLifetime
{
    /// <summary>A hub that keeps the hub's own information lines, where the actions log what they did.</summary>
    public sealed class LoggingHub() : HubFixture(StorageProvider.Sqlite)
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Logging:LogLevel:Micromastery.Hub"] = "Information" };
    }

    private const string Slug = "omelette";
    private const string Page = "/micromasteries/" + Slug;
    private const string Api = "/api/micromasteries/" + Slug;

    // Not public: publishing must say so on the page as the API does.
    public Task InitializeAsync() => hub.ResetAsync($"""
        timeZone: UTC
        micromasteries:
          - slug: {Slug}
            name: Omelette
            layer: A
            started: {DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3):yyyy-MM-dd}
            checks:
              - type: manual
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Publish_FromThePageAndTheApi_LogsTheSameAndSaysTheMicromasteryIsNotPublic()
    {
        await hub.Client.PostAsJsonAsync(Api + "/evidence", new { note = "folded" });
        await hub.Client.PostAsync(Api + "/drafts", null);
        await hub.QuiesceAsync();
        hub.Factory.Logs.Clear();

        var api = await (await hub.Client.PostAsync(Api + "/drafts/1/publish", null)).Content.ReadFromJsonAsync<JsonObject>();
        var apiLogs = PublishLogs();
        await hub.Client.DeleteAsync(Api + "/drafts/published");
        hub.Factory.Logs.Clear();
        var page = await hub.Client.PostAsync(Page + "/drafts/1/publish", await FormAsync());
        var pageLogs = PublishLogs();
        var published = await hub.Service<Hub.PublicPage.PublicationStore>().CaseStudiesAsync(CancellationToken.None);

        Assert.False(api!["shown"]!.GetValue<bool>());
        Assert.Contains("'omelette' is not public", api["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("this micromastery is not public", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["Case study v1 of omelette published (shown on the public page: False)"], apiLogs);
        Assert.Equal(apiLogs, pageLogs);
        Assert.Equal(1, published[Slug].Version);
    }

    [Fact]
    public async Task ManualEvidence_RefusedWithTheSameWords_AndRecordedTheSameWay()
    {
        var apiRefused = await hub.Client.PostAsJsonAsync(Api + "/evidence", new { url = "javascript:alert(1)" });
        var pageRefused = await hub.Client.PostAsync(Page + "/evidence", await FormAsync(("url", "javascript:alert(1)")));
        hub.Factory.Logs.Clear();
        var apiRecorded = await hub.Client.PostAsJsonAsync(Api + "/evidence", new { note = "from the API", context = "dinner" });
        var pageRecorded = await hub.Client.PostAsync(Page + "/evidence", await FormAsync(("note", "from the page"), ("context", "breakfast")));

        var error = Assert.Single((await Problem.ErrorsAsync(apiRefused))["url"]);
        Assert.Equal(HttpStatusCode.BadRequest, apiRefused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, pageRefused.StatusCode);
        Assert.Contains(error, WebUtility.HtmlDecode(await pageRefused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, apiRecorded.StatusCode);
        Assert.EndsWith("?done=evidence", pageRecorded.RequestMessage!.RequestUri!.PathAndQuery, StringComparison.Ordinal);
        var facts = (await RowsAsync("SELECT o.facts FROM evidence e JOIN observations o ON o.id = e.observation_id ORDER BY e.id"))
            .Select(f => JsonNode.Parse(f)!).Select(f => $"{f["check"]}|{f["note"]}|{f["context"]}").ToList();
        Assert.Equal(["manual|from the API|dinner", "manual|from the page|breakfast"], facts);
        Assert.Equal(2, hub.Factory.Logs.Entries.Count(e => e.Contains("Manual evidence recorded for omelette (manual)", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RenderDraft_FromThePageAndTheApi_StoresTheSameVersionAndFacts()
    {
        await hub.Client.PostAsJsonAsync(Api + "/evidence", new { note = "folded" });
        await hub.QuiesceAsync(); // the first verification's own draft
        hub.Factory.Logs.Clear();

        var api = await hub.Client.PostAsync(Api + "/drafts", null);
        var page = await hub.Client.PostAsync(Page + "/drafts", await FormAsync());

        Assert.Equal(HttpStatusCode.Created, api.StatusCode);
        Assert.EndsWith("?done=draft", page.RequestMessage!.RequestUri!.PathAndQuery, StringComparison.Ordinal);
        var drafts = await RowsAsync("SELECT reason || '|' || facts FROM case_study_drafts WHERE reason <> 'first verification' ORDER BY version");
        Assert.Equal(2, drafts.Count);
        Assert.StartsWith("on demand|", drafts[0], StringComparison.Ordinal);
        Assert.Equal(drafts[0], drafts[1]);
        Assert.Equal(2, hub.Factory.Logs.Entries.Count(e => e.Contains("rendered on demand", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LogPractice_TheSameSessionThroughTheApiAndThePage_IsOneSession()
    {
        var date = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var api = await hub.Client.PostAsJsonAsync("/api/practice", new { id = "same-session", slug = Slug, date, minutes = 45, note = "folded" });
        var page = await hub.Client.PostAsync(Page + "/practice", await FormAsync(("key", "same-session"), ("date", date), ("minutes", "45"), ("note", "folded")));
        var changed = await hub.Client.PostAsync(Page + "/practice", await FormAsync(("key", "same-session"), ("date", date), ("minutes", "50"), ("note", "folded")));
        var apiChanged = await hub.Client.PostAsJsonAsync("/api/practice", new { id = "same-session", slug = Slug, date, minutes = 50, note = "folded" });

        Assert.Equal(HttpStatusCode.Created, api.StatusCode);
        Assert.EndsWith("?done=practice", page.RequestMessage!.RequestUri!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, apiChanged.StatusCode);
        Assert.Equal(["same-session|45"], await RowsAsync("SELECT id || '|' || minutes FROM practice_sessions"));
    }

    /// <summary>The page's antiforgery field with <paramref name="fields"/>, as a browser posts a form.</summary>
    private async Task<FormUrlEncodedContent> FormAsync(params (string Name, string Value)[] fields)
    {
        var token = TokenField().Match(await hub.Client.GetStringAsync(Page));
        var form = new Dictionary<string, string> { [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) };
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return new FormUrlEncodedContent(form);
    }

    private List<string> PublishLogs() =>
        [.. hub.Factory.Logs.Entries.Where(e => e.Contains(" published (", StringComparison.Ordinal)).Select(e => Regex.Match(e, @"Case study v\d+ of \S+ published \(shown on the public page: \w+\)").Value)];

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return [.. await connection.QueryAsync<string>(sql)];
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
