using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;
using static Micromastery.Hub.Tests.PublicPage.PublicScenario;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>
/// A stranger sees exactly the published micromastery, and nothing of the private one: every public output, built as
/// its endpoint builds it from the hub's services (no host). What a stranger is answered over HTTP (the same 404, the
/// owner-only calls and note) is in <c>PublicHttpTests</c>.
/// </summary>
public abstract class StrangerViewTests(StoreFixture store) : IAsyncLifetime
{
    private const string CheckError = "Beehiiv answered 401: key pk_live_9931 rejected";

    private HubServices _hub = null!;

    private StrangerOutputs Stranger => new(_hub);

    private CaseStudyPublishing Publishing => _hub.Service<CaseStudyPublishing>();

    public async Task InitializeAsync() => _hub = await store.CreateAsync(PublicScenario.Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EverythingAStrangerCanFetch_NamesOnlyThePublishedMicromastery()
    {
        var paymentIntent = await ArrangeAsync(_hub);
        await using (var connection = await _hub.Service<HubDatabase>().OpenAsync())
        {
            // A failing check of a published micromastery: its message is for the owner only.
            await connection.ExecuteAsync(
                "INSERT INTO check_status (slug, check_id, state, message, last_attempt_at) VALUES ('first-newsletter', 'manual', 'unknown', @message, 1764400000000)",
                new { message = CheckError });
        }

        var answers = await Stranger.EverythingAsync(PublicSlug);

        Assert.All(answers, a => Assert.True(a.Value is not null, $"{a.Key}: not published"));
        var everything = string.Join("\n", answers.Values);
        // What the owner's report names as the published payoff's contexts (a product, a repository) stays private too.
        var contexts = (await _hub.MicromasteryAsync(PublicSlug)).Repeatability!.Contexts.Select(c => c.Context).Where(c => c.Length >= 4).ToList();
        Assert.NotEmpty(contexts);
        foreach (var secret in contexts.Concat(new[] { CheckError, PrivateSlug, PrivateName, "private.example", PrivateUrl, PrivateNote, paymentIntent, "dashboard.stripe.com", "pi_" }))
        {
            Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase);
        }

        var page = answers["/public"]!;
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(PublicName), page);
        Assert.Contains("Ada &lt;Builder&gt; &amp; Co", page);
        Assert.Contains("a test-mode payment captured, reported by Stripe", page);
        Assert.Contains(">Verified<", page);
        var detail = answers[$"/public/{PublicSlug}"]!;
        Assert.Contains("<h2 id=\"case-study\">Case study</h2>", detail);
        Assert.Contains("<h2 id=\"timeline\">The seven days</h2>", detail);
        Assert.Contains("1 of 2", answers["/badges/stack.svg"]);
        Assert.Contains(">Unknown<", page); // the failing check shows as a state, without its message
    }

    [Fact]
    public async Task TheStackFile_PublishesAndUnpublishesAMicromastery()
    {
        await ArrangeAsync(_hub);

        _hub.LoadStack(PublicScenario.Stack.Replace("public: true", "public: false", StringComparison.Ordinal));
        var hidden = await Stranger.MicromasteryPageAsync(PublicSlug);
        var list = await Stranger.StackPageAsync();
        var stackFile = _hub.Service<StackStore>().Path;
        var ownersList = await Stranger.StackPageAsync(ownersStackFile: stackFile);

        Assert.Null(hidden);
        Assert.DoesNotContain(PublicSlug, list, StringComparison.Ordinal);
        Assert.Contains("Nothing is published here yet.", list);
        // How to publish is the owner's note only: a stranger learns nothing about the stack file.
        Assert.DoesNotContain("public: true", list, StringComparison.Ordinal);
        Assert.DoesNotContain(stackFile, list, StringComparison.Ordinal);
        Assert.Contains("only you see this note", ownersList, StringComparison.Ordinal);
        Assert.Contains("public: true", ownersList, StringComparison.Ordinal);
        Assert.Contains(stackFile, ownersList, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAndUnpublish_PutTheCaseStudyUpAndTakeItDown()
    {
        await ArrangeAsync(_hub);
        var up = await Stranger.MicromasteryPageAsync(PublicSlug);

        var down = await Publishing.UnpublishAsync(PublicSlug, CancellationToken.None);
        var after = await Stranger.MicromasteryPageAsync(PublicSlug);
        var again = await Publishing.UnpublishAsync(PublicSlug, CancellationToken.None);
        var missing = await Publishing.PublishAsync(PublicSlug, 99, CancellationToken.None);

        Assert.Contains("class=\"case-study\"", up);
        Assert.Contains("The entry trick</h3>", up);
        Assert.True(down);
        Assert.DoesNotContain("class=\"case-study\"", after);
        Assert.False(again);
        Assert.Null(missing);
    }

    [Fact]
    public async Task EvidenceMarkedPublic_ShowsItsLink_AndUnmarkingHidesIt()
    {
        var paymentIntent = await ArrangeAsync(_hub);
        var before = await Stranger.MicromasteryPageAsync(PublicSlug);

        var mark = await Publishing.MarkEvidenceAsync(PublicSlug, "stripe", paymentIntent, isPublic: true, CancellationToken.None);
        var marked = await Stranger.MicromasteryPageAsync(PublicSlug);
        await Publishing.MarkEvidenceAsync(PublicSlug, "stripe", paymentIntent, isPublic: false, CancellationToken.None);
        var unmarked = await Stranger.MicromasteryPageAsync(PublicSlug);

        Assert.DoesNotContain(paymentIntent, before, StringComparison.Ordinal);
        Assert.Equal(EvidenceMark.Marked, mark);
        Assert.Contains($"href=\"https://dashboard.stripe.com/test/payments/{paymentIntent}\"", marked);
        Assert.DoesNotContain(paymentIntent, unmarked, StringComparison.Ordinal);
    }
}

public sealed class StrangerViewTests_Sqlite(SqliteStore store) : StrangerViewTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class StrangerViewTests_Postgres(PostgresStore store) : StrangerViewTests(store), IClassFixture<PostgresStore>;
