using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>Starting a staple: <c>POST /api/micromasteries</c> and the catalog page's Start form, over the real stack file.</summary>
[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed partial class StartMicromasteryTests(SqliteHub hub) : IAsyncLifetime
{
    private const string Commented = """
        # my own words, kept
        timeZone: Pacific/Kiritimati   # UTC+14: "today" there is often tomorrow in UTC

        micromasteries:
          - slug: perfect-omelette     # breakfast
            name: A perfect omelette
            layer: physical
            started: 2026-11-21
            checks:
              - type: manual
        """;

    public Task InitializeAsync() => hub.ResetAsync(Commented);

    public Task DisposeAsync() => Task.CompletedTask;

    private static string TodayIn(string zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Api_StartsAStaple_AppendsItKeepingTheComments_AndAnswers201WithLocation()
    {
        var answer = await hub.Client.PostAsJsonAsync("/api/micromasteries", new { staple = "stripe-payment-link" });

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal("/api/micromasteries/stripe-payment-link", answer.Headers.Location?.OriginalString);
        var text = await File.ReadAllTextAsync(hub.Factory.StackPath);
        Assert.StartsWith(Commented, text, StringComparison.Ordinal);
        Assert.Contains($"    started: {TodayIn("Pacific/Kiritimati")}", text, StringComparison.Ordinal);
        var item = await hub.Client.GetFromJsonAsync<JsonElement>(answer.Headers.Location!.OriginalString);
        Assert.Equal("pending", item.GetProperty("payoff").GetString());
        Assert.Equal(["perfect-omelette", "stripe-payment-link"], (await hub.Client.StackAsync()).Micromasteries.Select(m => m.Slug));
    }

    [Fact]
    public async Task Api_SameStapleTwice_Is409_AndWritesNothing()
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
    [InlineData("""{}""", "staple")]
    [InlineData("""{"staple":"stripe-payment-link","started":"04/12/2026"}""", "started")]
    [InlineData("""{"staple":"github-actions-cron"}""", "parameters.repo")]
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
    public async Task Api_StapleWithParameters_WritesThemQuoted()
    {
        var answer = await hub.Client.PostAsJsonAsync("/api/micromasteries", new { staple = "github-actions-cron", parameters = new { repo = "ada/weekly-report" } });

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal("ada/weekly-report", hub.Service<StackStore>().Current.Find("github-actions-cron")!.Checks.Single().Get("repo"));
    }

    [Fact]
    public async Task Api_FileWithErrors_IsRefusedShowingTheError_AndLeftAlone()
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
