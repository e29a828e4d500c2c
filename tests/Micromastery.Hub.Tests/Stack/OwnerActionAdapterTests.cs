using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;
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

/// <summary>
/// Starting a staple through its two adapters over <see cref="StackStarter"/>: <c>POST /api/micromasteries</c> (201 and its
/// Location, 409 and 400 problems) and the catalog page's Start form (post/redirect/get, antiforgery, the error at its
/// field). What the starter writes and refuses is in <see cref="StartMicromasteryTests"/>, without a host.
/// </summary>
[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed partial class StartAdapterTests(SqliteHub hub) : IAsyncLifetime
{
    private const string Commented = StartMicromasteryTests.Commented;

    public Task InitializeAsync() => hub.ResetAsync(Commented);

    public Task DisposeAsync() => Task.CompletedTask;

    private static string TodayIn(string zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Api_StartsAStaple_Answers201WithLocation()
    {
        var answer = await hub.Client.PostAsJsonAsync("/api/micromasteries", new { staple = "stripe-payment-link" });

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal("/api/micromasteries/stripe-payment-link", answer.Headers.Location?.OriginalString);
        Assert.Equal("pending", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payoff").GetString());
        var item = await hub.Client.GetFromJsonAsync<JsonElement>(answer.Headers.Location!.OriginalString);
        Assert.Equal("pending", item.GetProperty("payoff").GetString());
        Assert.Equal(["perfect-omelette", "stripe-payment-link"], (await hub.Client.StackAsync()).Micromasteries.Select(m => m.Slug));
    }

    [Fact]
    public async Task Api_SameStapleTwice_Is409Problem_AndWritesNothing()
    {
        await hub.Client.PostAsJsonAsync("/api/micromasteries", new { staple = "stripe-payment-link", started = "2026-12-01", @public = true });
        var before = await File.ReadAllTextAsync(hub.Factory.StackPath);

        var again = await hub.Client.PostAsJsonAsync("/api/micromasteries", new { staple = "stripe-payment-link" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await File.ReadAllTextAsync(hub.Factory.StackPath));
        Assert.Contains("    started: 2026-12-01\n    public: true\n", before, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"staple":"no-such-staple"}""", "staple")]
    [InlineData("""{"staple":"stripe-payment-link","started":"04/12/2026"}""", "started")]
    [InlineData("""{"staple":"github-actions-cron","parameters":{"repo":"not a repo"}}""", "parameters.repo")]
    [InlineData("""not json""", "body")]
    public async Task Api_BadRequest_Is400ProblemDetailsNamingTheField_AndWritesNothing(string body, string field)
    {
        var before = await File.ReadAllTextAsync(hub.Factory.StackPath);

        var answer = await hub.Client.PostAsync("/api/micromasteries", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await File.ReadAllTextAsync(hub.Factory.StackPath));
    }

    [Fact]
    public async Task Api_FileWithErrors_Is409ShowingWhere_AndLeavesItAlone()
    {
        var broken = Commented.Replace("layer: physical", "layer: nowhere", StringComparison.Ordinal);
        await File.WriteAllTextAsync(hub.Factory.StackPath, broken);

        var answer = await hub.Client.PostAsJsonAsync("/api/micromasteries", new { staple = "stripe-payment-link" });
        var problem = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains("stack.yml:7:", problem, StringComparison.Ordinal);
        Assert.Equal(broken, await File.ReadAllTextAsync(hub.Factory.StackPath));
    }

    [Fact]
    public async Task CatalogPage_StartForm_PostRedirectGet_ToTheNewMicromasterysPage()
    {
        var token = await TokenAsync();

        var answer = await hub.Client.PostAsync("/catalog/start", Form(token, ("staple", "stripe-payment-link"), ("started", "")));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("/micromasteries/stripe-payment-link?done=started", answer.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.Contains("Started:", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains($"started: {TodayIn("Pacific/Kiritimati")}", await File.ReadAllTextAsync(hub.Factory.StackPath), StringComparison.Ordinal);
        Assert.Contains("in your stack", await hub.Client.GetStringAsync("/catalog"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatalogPage_FormWithoutToken_IsRefused_AndWritesNothing()
    {
        var before = await File.ReadAllTextAsync(hub.Factory.StackPath);

        var answer = await hub.Client.PostAsync("/catalog/start", Form(("__RequestVerificationToken", "forged"), ("staple", "stripe-payment-link")));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("expired", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(hub.Factory.StackPath));
    }

    [Fact]
    public async Task CatalogPage_BadParameter_IsShownAtItsField()
    {
        var token = await TokenAsync();

        var answer = await hub.Client.PostAsync("/catalog/start", Form(token, ("staple", "github-actions-cron"), ("parameter.repo", "nope")));
        var html = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Matches("id=\"parameter-github-actions-cron-repo\"[^>]*aria-invalid=\"true\"", html);
        Assert.Contains("id=\"parameter-github-actions-cron-repo-error\"", html, StringComparison.Ordinal);
        Assert.Null(hub.Service<StackStore>().Current.Find("github-actions-cron"));
    }

    private async Task<(string Name, string Value)> TokenAsync()
    {
        var html = await hub.Client.GetStringAsync("/catalog");
        var match = TokenField().Match(html);
        Assert.True(match.Success, "the catalog has no antiforgery field");
        return (match.Groups[1].Value, WebUtility.HtmlDecode(match.Groups[2].Value));
    }

    private static FormUrlEncodedContent Form((string Name, string Value) token, params (string Name, string Value)[] fields) =>
        new([new(token.Name, token.Value), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
