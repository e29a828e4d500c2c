using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>
/// The HTTP contract of PRODUCT.md: /api/stack, health, manual evidence and the micromastery page's forms as a browser
/// posts them, the inbox page's query values; and the stack file watcher. Below: a hub started on a bad stack file
/// (<see cref="StackFileStartUpTests"/>). Starting a staple over HTTP is in <see cref="StartAdapterTests"/>.
/// </summary>
public abstract partial class HubSurfaceTests(HubFixture hub) : IAsyncLifetime
{
    private const string TwoMicromasteries = """
        timeZone: Europe/Istanbul
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
          - slug: perfect-omelette
            name: A perfect omelette
            layer: physical
            started: 2026-11-21
            checks:
              - type: manual
        """;

    public Task InitializeAsync() => hub.ResetAsync(TwoMicromasteries);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ApiStack_ListsEveryMicromasteryWithTheContractFields()
    {
        using var json = JsonDocument.Parse(await hub.Client.GetStringAsync("/api/stack"));

        var items = json.RootElement.GetProperty("micromasteries").EnumerateArray().ToList();
        Assert.Equal(["stripe-payment-link", "perfect-omelette"], items.Select(i => i.GetProperty("slug").GetString()));
        foreach (var item in items)
        {
            Assert.False(string.IsNullOrEmpty(item.GetProperty("name").GetString()));
            Assert.Contains(item.GetProperty("layer").GetString(), new[] { "C", "physical" });
            Assert.Equal("pending", item.GetProperty("payoff").GetString());
            Assert.Equal(JsonValueKind.Null, item.GetProperty("verifiedAt").ValueKind);
            Assert.Equal(JsonValueKind.Array, item.GetProperty("evidence").ValueKind);
        }
    }

    [Fact]
    public async Task ManualEvidence_VerifiesAManualOnlyMicromastery()
    {
        var response = await hub.Client.PostAsJsonAsync("/api/micromasteries/perfect-omelette/evidence",
            new { url = "https://www.youtube.com/watch?v=omelette", note = "three folds, no browning" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await hub.Client.GetStringAsync("/api/stack"));
        var omelette = json.RootElement.GetProperty("micromasteries").EnumerateArray().Single(m => m.GetProperty("slug").GetString() == "perfect-omelette");
        Assert.Equal("verified", omelette.GetProperty("payoff").GetString());
        var evidence = Assert.Single(omelette.GetProperty("evidence").EnumerateArray().ToList());
        Assert.Equal("manual", evidence.GetProperty("source").GetString());
        Assert.Equal("https://www.youtube.com/watch?v=omelette", evidence.GetProperty("url").GetString());
        Assert.False(string.IsNullOrEmpty(evidence.GetProperty("externalId").GetString()));
        Assert.True(evidence.GetProperty("observedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Theory]
    [InlineData("perfect-omelette", "{}", HttpStatusCode.BadRequest)]
    [InlineData("perfect-omelette", "{\"url\":\"javascript:alert(1)\"}", HttpStatusCode.BadRequest)]
    [InlineData("stripe-payment-link", "{\"note\":\"paid myself\"}", HttpStatusCode.BadRequest)]
    [InlineData("nope", "{\"note\":\"x\"}", HttpStatusCode.NotFound)]
    public async Task BadManualEvidence_GetsAClearErrorAndChangesNothing(string slug, string body, HttpStatusCode expected)
    {
        var response = await hub.Client.PostAsync($"/api/micromasteries/{slug}/evidence", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(await Problem.DetailAsync(response)));
        Assert.All((await hub.Client.StackAsync()).Micromasteries, m => Assert.Empty(m.Evidence));
    }

    [Fact]
    public async Task Health_IsUpAndReadyWhenStorageAnswers()
    {
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.GetAsync("/health")).StatusCode);
        var ready = await hub.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InvalidStackEdit_KeepsTheLastGoodStackAndShowsTheErrors()
    {
        await File.WriteAllTextAsync(hub.Factory.StackPath, "micromasteries:\n  - staple: not-a-staple\n    started: 2026-11-20\n");

        var report = await Eventually.ReturnsAsync(hub.Client.StackAsync, r => r.StackErrors.Count > 0, "the watcher to see the invalid file");

        Assert.Contains(report.StackErrors, e => e.StartsWith("2:13: unknown staple 'not-a-staple'", StringComparison.Ordinal));
        Assert.Equal(2, report.Micromasteries.Count);

        await File.WriteAllTextAsync(hub.Factory.StackPath, HubFixture.DefaultStack);
        var fixedReport = await Eventually.ReturnsAsync(hub.Client.StackAsync, r => r.StackErrors.Count == 0 && r.Micromasteries.Count == 1, "the watcher to load the fixed file");
        Assert.Equal("stripe-payment-link", fixedReport.Micromasteries[0].Slug);
    }

    [Fact]
    public async Task CheckAddedToTheStack_IsSatisfiedByProofAlreadyStored()
    {
        var body = Stripe.StripeEvents.PaymentIntentSucceeded(amount: 7500);
        await hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", Stripe.StripeEvents.Sign(body, HubFactory.StripeSecret)));
        await hub.Client.VerifiedAsync("stripe-payment-link");

        await File.WriteAllTextAsync(hub.Factory.StackPath, TwoMicromasteries + """

              - slug: premium-offer
                name: A premium offer
                layer: C
                started: 2026-11-22
                checks:
                  - type: stripe.test-payment
                    minAmount: 5000
            """);

        var premium = await Eventually.ReturnsAsync(
            async () => (await hub.Client.StackAsync()).Micromasteries.FirstOrDefault(m => m.Slug == "premium-offer"),
            m => m?.Payoff == PayoffStates.Verified, "the new micromastery to be verified from stored proof");
        Assert.Single(premium!.Evidence);
    }

    [Fact]
    public async Task Catalog_IsServed()
    {
        using var json = JsonDocument.Parse(await hub.Client.GetStringAsync("/api/catalog"));

        Assert.True(json.RootElement.GetArrayLength() >= 24);
    }

    // The micromastery page's practice and evidence forms, posted as a browser would: a double submit (the same form twice
    // at once) stores once; a form missing optional fields still works; a bad query value is a 400 naming it.
    private const string FormPage = "/micromasteries/perfect-omelette";

    [Theory]
    [InlineData("practice", "practice_sessions")]
    [InlineData("evidence", "evidence")]
    public async Task SameFormPostedTwiceAtOnce_StoresOnce(string form, string table)
    {
        var fields = await FieldsAsync();
        fields["date"] = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        fields["minutes"] = "45";
        fields["note"] = "folded it";
        fields["url"] = "https://example.com/omelette";

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => hub.Client.PostAsync($"{FormPage}/{form}", new FormUrlEncodedContent(fields))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode)); // both redirected back to the page
        Assert.Equal(1, await CountAsync(table));
        Assert.True(fields.ContainsKey("key"), "the form carries no idempotency key");
    }

    [Fact]
    public async Task EvidenceForm_WithoutCheckOrContext_RecordsTheEvidence()
    {
        var fields = await FieldsAsync();
        fields.Remove("check");
        fields.Remove("context");
        fields["note"] = "a note only";

        var answer = await hub.Client.PostAsync($"{FormPage}/evidence", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.EndsWith("?done=evidence", answer.RequestMessage!.RequestUri!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("evidence"));
    }

    [Fact]
    public async Task EvidenceForm_WithABadUrl_SaysSoAtTheField()
    {
        var fields = await FieldsAsync();
        fields["url"] = "javascript:alert(1)";

        var answer = await hub.Client.PostAsync($"{FormPage}/evidence", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("id=\"evidence-error\" class=\"field-error\">&#x27;url&#x27; must be an absolute http(s) link", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("evidence"));
    }

    [Theory]
    [InlineData("/inbox?to=9999-12-31", "to")]
    [InlineData("/inbox?state=nope", "state")]
    [InlineData("/inbox?from=yesterday", "from")]
    [InlineData("/inbox?before=abc", "before")]
    public async Task BadQueryValue_IsA400NamingTheField(string path, string field)
    {
        var answer = await hub.Client.GetAsync(path);
        var body = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Matches($"\\b{field}\\b", body);
    }

    private async Task<Dictionary<string, string>> FieldsAsync()
    {
        var html = await hub.Client.GetStringAsync(FormPage);
        var evidenceForm = html[html.IndexOf("/evidence\"", StringComparison.Ordinal)..];
        evidenceForm = evidenceForm[..evidenceForm.IndexOf("</form>", StringComparison.Ordinal)];
        var fields = HiddenField().Matches(evidenceForm).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["context"] = "";
        return fields;
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}

[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class HubSurfaceTests_Sqlite(SqliteHub hub) : HubSurfaceTests(hub);

[Collection(PostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class HubSurfaceTests_Postgres(PostgresHub hub) : HubSurfaceTests(hub);

/// <summary>A hub started on a bad stack file: it starts, with the stack it last ran or an empty one, and says so.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class StackFileStartUpTests
{
    private const string SelfReferencingKey = "micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-20\n    checks:\n      - type: stripe.test-payment\n        ? &a [*a]\n        : 1\n";

    [Theory]
    [InlineData(SelfReferencingKey)]
    [InlineData("")]
    public async Task BadFileAtStartUp_StartsWithTheLastGoodStackRecorded(string badFile)
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var first = hub.Start();
        Assert.Single((await first.CreateClient().StackAsync()).Micromasteries);
        await first.DisposeAsync();
        await File.WriteAllTextAsync(hub.StackPath, badFile);

        var second = hub.Start();
        var report = await second.CreateClient().StackAsync();

        Assert.Equal("stripe-payment-link", Assert.Single(report.Micromasteries).Slug);
        Assert.Single(report.StackErrors);
        Assert.Contains(second.Logs.Entries, e => e.Contains("started with the last good stack recorded in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadFileAndNoRecord_StartsWithAnEmptyStackAndTheError()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, SelfReferencingKey);

        var started = hub.Start();
        var client = started.CreateClient();
        var report = await client.StackAsync();

        Assert.Empty(report.Micromasteries);
        Assert.StartsWith("6:11: anchors ('&a') are not supported", Assert.Single(report.StackErrors), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Contains(started.Logs.Entries, e => e.Contains("started with an empty stack", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecordOfAnotherStackFile_IsNotUsed()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var first = hub.Start();
        first.CreateClient();
        await first.DisposeAsync();
        var record = Path.Combine(hub.Directory, "data", StackStore.LastGoodFileName);
        Assert.True(File.Exists(record));
        await File.WriteAllTextAsync(record, "# last good copy of /somewhere/else.yml\n" + HubFixture.DefaultStack);
        await File.WriteAllTextAsync(hub.StackPath, SelfReferencingKey);

        var report = await hub.Start().CreateClient().StackAsync();

        Assert.Empty(report.Micromasteries);
    }
}
