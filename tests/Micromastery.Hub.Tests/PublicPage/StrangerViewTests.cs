using System.Net;
using Dapper;
using Micromastery.Hub.Infrastructure;
using System.Net.Http.Json;
using Micromastery.Hub.Tests.Access;
using Micromastery.Hub.Tests.Infrastructure;
using static Micromastery.Hub.Tests.PublicPage.PublicScenario;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>A stranger relayed by a same-host proxy sees exactly the published micromastery, and nothing of the private one.</summary>
public abstract class StrangerViewTests(HubFixture hub) : IAsyncLifetime
{
    public Task InitializeAsync() => hub.ResetAsync(PublicScenario.Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private const string CheckError = "Beehiiv answered 401: key pk_live_9931 rejected";

    private Visitor Stranger => Visitor.StrangerThroughProxy(hub.Factory.Server);

    [Fact]
    public async Task EverythingAStrangerCanFetch_NamesOnlyThePublishedMicromastery()
    {
        var paymentIntent = await ArrangeAsync(hub.Client);
        await using (var connection = await hub.Service<HubDatabase>().OpenAsync())
        {
            // A failing check of a published micromastery: its message is for the owner only.
            await connection.ExecuteAsync(
                "INSERT INTO check_status (slug, check_id, state, message, last_attempt_at) VALUES ('first-newsletter', 'manual', 'unknown', @message, 1764400000000)",
                new { message = CheckError });
        }

        var paths = new[] { "/public", $"/public/{PublicSlug}", "/public/feed.xml", $"/badges/{PublicSlug}.svg", $"/badges/{PublicSlug}.json", "/badges/stack.svg" };

        var answers = new Dictionary<string, Answer>();
        foreach (var path in paths)
        {
            answers[path] = await Stranger.GetAsync(path, "*/*");
        }

        Assert.All(answers, a => Assert.True(a.Value.Status == 200, $"{a.Key}: {a.Value.Status}"));
        var everything = string.Join("\n", answers.Values.Select(a => a.Body));
        // What the owner's report names as the published payoff's contexts (a product, a repository) stays private too.
        var contexts = (await hub.Client.MicromasteryAsync(PublicSlug)).Repeatability!.Contexts.Select(c => c.Context).Where(c => c.Length >= 4).ToList();
        Assert.NotEmpty(contexts);
        foreach (var secret in contexts.Concat(new[] { CheckError, PrivateSlug, PrivateName, "private.example", PrivateUrl, PrivateNote, paymentIntent, "dashboard.stripe.com", "pi_" }))
        {
            Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase);
        }

        var page = answers["/public"].Body;
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(PublicName), page);
        Assert.Contains("Ada &lt;Builder&gt; &amp; Co", page);
        Assert.Contains("a test-mode payment captured, reported by Stripe", page);
        Assert.Contains(">Verified<", page);
        var detail = answers[$"/public/{PublicSlug}"].Body;
        Assert.Contains("<h2 id=\"case-study\">Case study</h2>", detail);
        Assert.Contains("<h2 id=\"timeline\">The seven days</h2>", detail);
        Assert.Contains("1 of 2", answers["/badges/stack.svg"].Body);
        Assert.Contains(">Unknown<", page); // the failing check shows as a state, without its message
    }

    [Fact]
    public async Task UnpublishedAndUnknownSlugs_AnswerTheSame404()
    {
        await ArrangeAsync(hub.Client);

        var results = new List<Answer>();
        foreach (var path in new[] { $"/public/{PrivateSlug}", "/public/no-such-thing", $"/badges/{PrivateSlug}.svg", "/badges/no-such-thing.svg", $"/badges/{PrivateSlug}.json", "/badges/no-such-thing.json" })
        {
            results.Add(await Stranger.GetAsync(path, "text/html"));
        }

        Assert.All(results, r => Assert.Equal(404, r.Status));
        Assert.Single(results.Select(r => (r.Body, r.Headers.ContentType.ToString())).Distinct());
    }

    [Fact]
    public async Task TheStackFile_PublishesAndUnpublishesAMicromastery()
    {
        await ArrangeAsync(hub.Client);

        await File.WriteAllTextAsync(hub.Factory.StackPath, PublicScenario.Stack.Replace("public: true", "public: false", StringComparison.Ordinal));
        Assert.Empty(hub.Service<Micromastery.Hub.Stack.StackStore>().Reload());
        var hidden = await Stranger.GetAsync($"/public/{PublicSlug}", "text/html");
        var list = await Stranger.GetAsync("/public", "text/html");

        Assert.Equal(404, hidden.Status);
        Assert.DoesNotContain(PublicSlug, list.Body, StringComparison.Ordinal);
        Assert.Contains("Nothing is published here yet.", list.Body);
        // How to publish is the owner's note only: a stranger learns nothing about the stack file.
        Assert.DoesNotContain("public: true", list.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(hub.Factory.StackPath, list.Body, StringComparison.Ordinal);
        var owners = await hub.Client.GetAsync("/public");
        var ownersPage = await owners.Content.ReadAsStringAsync();
        Assert.Contains("only you see this note", ownersPage, StringComparison.Ordinal);
        Assert.Contains("public: true", ownersPage, StringComparison.Ordinal);
        Assert.Contains(hub.Factory.StackPath, ownersPage, StringComparison.Ordinal);
        Assert.True(owners.Headers.CacheControl is { Private: true, NoStore: true });
    }

    [Fact]
    public async Task PublishAndUnpublish_PutTheCaseStudyUpAndTakeItDown()
    {
        await ArrangeAsync(hub.Client);
        var up = await Stranger.GetAsync($"/public/{PublicSlug}", "text/html");

        var down = await hub.Client.DeleteAsync($"/api/micromasteries/{PublicSlug}/drafts/published");
        var after = await Stranger.GetAsync($"/public/{PublicSlug}", "text/html");
        var again = await hub.Client.DeleteAsync($"/api/micromasteries/{PublicSlug}/drafts/published");
        var missing = await hub.Client.PostAsync($"/api/micromasteries/{PublicSlug}/drafts/99/publish", null);

        Assert.Contains("class=\"case-study\"", up.Body);
        Assert.Contains("The entry trick</h3>", up.Body);
        Assert.Equal(HttpStatusCode.NoContent, down.StatusCode);
        Assert.DoesNotContain("class=\"case-study\"", after.Body);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task EvidenceMarkedPublic_ShowsItsLink_AndUnmarkingHidesIt()
    {
        var paymentIntent = await ArrangeAsync(hub.Client);
        var before = await Stranger.GetAsync($"/public/{PublicSlug}", "text/html");

        var mark = await hub.Client.PostAsync($"/api/micromasteries/{PublicSlug}/evidence/public",
            JsonContent.Create(new { source = "stripe", externalId = paymentIntent }));
        var marked = await Stranger.GetAsync($"/public/{PublicSlug}", "text/html");
        await hub.Client.DeleteAsync($"/api/micromasteries/{PublicSlug}/evidence/public?source=stripe&externalId={paymentIntent}");
        var unmarked = await Stranger.GetAsync($"/public/{PublicSlug}", "text/html");

        Assert.DoesNotContain(paymentIntent, before.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, mark.StatusCode);
        Assert.Contains($"href=\"https://dashboard.stripe.com/test/payments/{paymentIntent}\"", marked.Body);
        Assert.DoesNotContain(paymentIntent, unmarked.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishingCalls_AreTheOwnersOnly()
    {
        await ArrangeAsync(hub.Client);

        var publish = await Stranger.PostJsonAsync($"/api/micromasteries/{PublicSlug}/drafts/1/publish", "{}");
        var unpublish = await Stranger.SendAsync("DELETE", $"/api/micromasteries/{PublicSlug}/drafts/published", "application/json", null, null);

        Assert.True(publish.Denied, $"{publish.Status} {publish.Body}");
        Assert.True(unpublish.Denied, $"{unpublish.Status} {unpublish.Body}");
    }
}

[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class StrangerViewTests_Sqlite(SqliteHub hub) : StrangerViewTests(hub);

[Collection(PostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class StrangerViewTests_Postgres(PostgresHub hub) : StrangerViewTests(hub);
