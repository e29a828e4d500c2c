using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Practice;

/// <summary>/api/practice on a real database: log, retry, correct, delete, list — and what bad input leaves behind (nothing).</summary>
public abstract class PracticeApiTests(HubFixture hub) : IAsyncLifetime
{
    // Days relative to today, so the tests hold whenever they run.
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Day(int daysAgo) => Today.AddDays(-daysAgo).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Stack(params string[] staples) => "timeZone: UTC\nmicromasteries:\n" + string.Concat(staples.Select(s =>
        $"  - staple: {s}\n    started: {Day(10)}\n    checks:\n      - type: manual\n"));

    public Task InitializeAsync() => hub.ResetAsync(Stack("stripe-payment-link"));

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> PostAsync(object body) => hub.Client.PostAsJsonAsync("/api/practice", body);

    private async Task<JsonArray> ListAsync(string query = "") => (await hub.Client.GetFromJsonAsync<JsonArray>("/api/practice" + query))!;

    [Fact]
    public async Task ARetriedPost_WithTheSameId_IsStoredOnce()
    {
        var session = new { id = "phone-7f3a", slug = "stripe-payment-link", date = Day(9), minutes = 95, note = "first link end to end" };

        var first = await PostAsync(session);
        var retry = await PostAsync(session);
        var clash = await PostAsync(session with { });
        var different = await PostAsync(new { id = "phone-7f3a", slug = "stripe-payment-link", date = Day(9), minutes = 20 });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("/api/practice/phone-7f3a", first.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.OK, clash.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        var all = await ListAsync();
        Assert.Equal(95, Assert.Single(all)!["minutes"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"slug":"nope","minutes":30}""", "slug")]
    [InlineData("""{"slug":"Stripe-Payment-Link","minutes":30}""", "slug")]
    [InlineData("""{"slug":"stripe-payment-link","minutes":0}""", "minutes")]
    [InlineData("""{"slug":"stripe-payment-link","minutes":1441}""", "minutes")]
    [InlineData("""{"slug":"stripe-payment-link","minutes":30,"date":"2999-01-01"}""", "date")]
    [InlineData("""{"slug":"stripe-payment-link","minutes":30,"start":"soon"}""", "start")]
    [InlineData("""{"slug":"stripe-payment-link","minutes":30,"id":"a b"}""", "id")]
    public async Task BadInput_Is400NamingTheField_AndStoresNothing(string json, string field)
    {
        var response = await hub.Client.PostAsync("/api/practice", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], (await Problem.ErrorsAsync(response)).Keys);
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task ANoteOverTheLimit_Is400_AndStoresNothing()
    {
        var response = await PostAsync(new { slug = "stripe-payment-link", minutes = 30, note = new string('x', 20_000) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task ASession_CanBeCorrectedAndDeleted()
    {
        await PostAsync(new { id = "s1", slug = "stripe-payment-link", date = Day(8), minutes = 60 });

        var corrected = await hub.Client.PutAsJsonAsync("/api/practice/s1", new { slug = "stripe-payment-link", date = Day(8), minutes = 120, note = "it was two hours" });
        var afterCorrection = await hub.Client.GetFromJsonAsync<JsonObject>("/api/practice/s1");
        var badCorrection = await hub.Client.PutAsJsonAsync("/api/practice/s1", new { slug = "stripe-payment-link", minutes = -1 });
        var deleted = await hub.Client.DeleteAsync("/api/practice/s1");
        var deletedAgain = await hub.Client.DeleteAsync("/api/practice/s1");
        var missingUpdate = await hub.Client.PutAsJsonAsync("/api/practice/s1", new { slug = "stripe-payment-link", minutes = 5 });

        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal(120, afterCorrection!["minutes"]!.GetValue<int>());
        Assert.Equal("it was two hours", afterCorrection["note"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, badCorrection.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missingUpdate.StatusCode);
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task List_FiltersByDayRangeAndSlug()
    {
        await hub.ResetAsync(Stack("stripe-payment-link", "perfect-omelette"));
        await PostAsync(new { slug = "stripe-payment-link", date = Day(10), minutes = 10 });
        await PostAsync(new { slug = "stripe-payment-link", date = Day(8), minutes = 20 });
        await PostAsync(new { slug = "perfect-omelette", date = Day(8), minutes = 30 });

        var range = await ListAsync($"?from={Day(9)}&to={Day(8)}");
        var omelette = await ListAsync("?slug=perfect-omelette");
        var bad = await hub.Client.GetAsync("/api/practice?from=last-week");

        Assert.Equal([20, 30], range.Select(s => s!["minutes"]!.GetValue<int>()).Order());
        Assert.Equal(30, Assert.Single(omelette)!["minutes"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Stack_CarriesPracticeAndPace()
    {
        await PostAsync(new { slug = "stripe-payment-link", date = Day(10), minutes = 90 });
        await PostAsync(new { slug = "stripe-payment-link", date = Day(8), minutes = 45 });

        var stack = (await hub.Client.GetFromJsonAsync<JsonObject>("/api/stack"))!;

        var practice = stack["micromasteries"]![0]!["practice"]!;
        Assert.Equal(135, practice["minutes"]!.GetValue<int>());
        Assert.Equal(630, practice["planMinutes"]!.GetValue<int>());
        Assert.Equal(2, practice["planDaysPractised"]!.GetValue<int>());
        Assert.Equal(3, practice["planDayReached"]!.GetValue<int>());
        var pace = stack["pace"]!;
        Assert.Equal(2, pace["blocksPerDay"]!.GetValue<int>());
        Assert.Equal(10, pace["stackMin"]!.GetValue<int>());
        var days = pace["days"]!.AsArray();
        Assert.True(days.Count >= 357);
        Assert.Equal(90, days.Single(d => d!["date"]!.GetValue<string>() == Day(10))!["minutes"]!.GetValue<int>());
        Assert.Equal(1, days.Single(d => d!["date"]!.GetValue<string>() == Day(10))!["blocks"]!.GetValue<int>());
    }
}

[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class PracticeApiTests_Sqlite(SqliteHub hub) : PracticeApiTests(hub);

[Collection(PostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class PracticeApiTests_Postgres(PostgresHub hub) : PracticeApiTests(hub);
