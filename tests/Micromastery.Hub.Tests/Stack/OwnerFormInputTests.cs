using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>
/// The micromastery page's practice and evidence forms, posted as a browser would: a double submit (the same form
/// twice at once) stores once; a form missing optional fields still works; a bad query value is a 400 naming it.
/// </summary>
public abstract partial class OwnerFormInputTests(HubFixture hub) : IAsyncLifetime
{
    private const string Page = "/micromasteries/omelette";

    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - slug: omelette
            name: Omelette
            layer: A
            started: 2026-11-20
            checks:
              - type: manual
        """;

    public Task InitializeAsync() => hub.ResetAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

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

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => hub.Client.PostAsync($"{Page}/{form}", new FormUrlEncodedContent(fields))));

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

        var answer = await hub.Client.PostAsync($"{Page}/evidence", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.EndsWith("?done=evidence", answer.RequestMessage!.RequestUri!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("evidence"));
    }

    [Fact]
    public async Task EvidenceForm_WithABadUrl_SaysSoAtTheField()
    {
        var fields = await FieldsAsync();
        fields["url"] = "javascript:alert(1)";

        var answer = await hub.Client.PostAsync($"{Page}/evidence", new FormUrlEncodedContent(fields));

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
        var html = await hub.Client.GetStringAsync(Page);
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
public sealed class OwnerFormInputTests_Sqlite(SqliteHub hub) : OwnerFormInputTests(hub);

[Collection(PostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class OwnerFormInputTests_Postgres(PostgresHub hub) : OwnerFormInputTests(hub);
