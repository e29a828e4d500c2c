using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>The micromastery page's Publish and Take-down buttons, posted as a browser would, put a draft on the public page and off it.</summary>
[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed partial class PublishFormTests(SqliteHub hub) : IAsyncLifetime
{
    private const string Page = "/micromasteries/perfect-omelette";

    public Task InitializeAsync() => hub.ResetAsync($"""
        timeZone: UTC
        micromasteries:
          - staple: perfect-omelette
            started: {DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3):yyyy-MM-dd}
            public: true
            checks:
              - type: manual
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PublishButton_PutsTheLatestDraftOnThePublicPage_AndTakeDownRemovesIt()
    {
        await hub.Client.PostAsJsonAsync("/api/micromasteries/perfect-omelette/evidence", new { note = "folded, unbrowned", context = "family dinner" });
        await hub.Client.PostAsync("/api/micromasteries/perfect-omelette/drafts", null);
        var html = await hub.Client.GetStringAsync(Page);
        var token = TokenField().Match(html);
        var form = new Dictionary<string, string> { [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) };
        var publishAction = PublishAction().Match(html);

        var published = await hub.Client.PostAsync(publishAction.Groups[1].Value, new FormUrlEncodedContent(form));
        var publicPage = await hub.Client.GetStringAsync("/public/perfect-omelette");
        var takenDown = await hub.Client.PostAsync(Page + "/drafts/unpublish", new FormUrlEncodedContent(form));
        var afterwards = await hub.Client.GetStringAsync("/public/perfect-omelette");

        Assert.True(publishAction.Success, "the page has no Publish button for the latest draft");
        Assert.Contains("The case study is published", await published.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("a micromastery case study", publicPage, StringComparison.Ordinal);
        Assert.Contains("no longer on your public page", await takenDown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("a micromastery case study", afterwards, StringComparison.Ordinal);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<form method=\"post\" action=\"(/micromasteries/perfect-omelette/drafts/\\d+/publish)\"")]
    private static partial Regex PublishAction();
}
