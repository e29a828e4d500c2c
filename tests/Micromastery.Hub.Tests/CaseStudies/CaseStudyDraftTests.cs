using System.Text.Json.Nodes;
using Hangfire;
using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Templates;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.CaseStudies;

/// <summary>
/// A verified payoff produces a case-study draft; re-rendering keeps earlier versions; a broken template is reported
/// with its place. On the hub's services without a host: webhooks mapped and recorded as the inbox does, the jobs a
/// verification queues run here as a worker would. The drafts' HTTP answers, the owner's page and Hangfire's handling of
/// a failed job are in <see cref="CaseStudyDraftHttpTests"/>.
/// </summary>
public abstract class CaseStudyDraftTests(StoreFixture store) : IAsyncLifetime
{
    private const string Slug = "stripe-payment-link";

    private readonly string _templates = Directory.CreateTempSubdirectory("hub-templates-").FullName;

    // The queued jobs already run: the queue keeps them, as no worker fetched them.
    private readonly HashSet<string> _ran = [];

    private HubServices _hub = null!;

    public async Task InitializeAsync() =>
        _hub = await store.CreateAsync(settings: new Dictionary<string, string?> { ["Templates:OverridePath"] = _templates });

    public Task DisposeAsync()
    {
        Directory.Delete(_templates, recursive: true);
        return Task.CompletedTask;
    }

    private DraftStore Drafts => _hub.Service<DraftStore>();

    private DraftRendering Rendering => _hub.Service<DraftRendering>();

    private Task PostStripeAsync(string body) =>
        _hub.ApplyWebhookAsync("stripe", JsonNode.Parse(body)!["type"]!.GetValue<string>(), body);

    private async Task<string> VerifyAsync()
    {
        var paymentIntent = StripeEvents.NewId("pi_");
        await PostStripeAsync(StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent));
        await _hub.MicromasteryAsync(Slug, m => m.Payoff == PayoffStates.Verified, "the payoff verified");
        return $"https://dashboard.stripe.com/test/payments/{paymentIntent}";
    }

    private Task<IReadOnlyList<DraftInfo>> ListAsync() => Drafts.ListAsync(Slug, CancellationToken.None);

    private async Task<string> MarkdownAsync(int? version = null) => (await Drafts.GetAsync(Slug, version, CancellationToken.None))!.Markdown;

    /// <summary>The case-study jobs waiting in Hangfire's queue, run as its worker would (no Hangfire server runs here): what each wrote.</summary>
    private async Task<List<int?>> RunQueuedDraftJobsAsync()
    {
        var monitor = _hub.Service<JobStorage>().GetMonitoringApi();
        var queued = monitor.Queues().SelectMany(q => monitor.EnqueuedJobs(q.Name, 0, 100))
            .Where(j => j.Value.Job?.Type == typeof(CaseStudyJob) && _ran.Add(j.Key))
            .ToList();
        var written = new List<int?>();
        foreach (var (_, job) in queued)
        {
            Assert.Equal(nameof(CaseStudyJob.RunFirstAsync), job.Job.Method.Name);
            written.Add(await _hub.Service<CaseStudyJob>().RunFirstAsync((string)job.Job.Args[0], CancellationToken.None));
        }

        return written;
    }

    [Fact]
    public async Task FirstVerification_QueuesTheJobThatWritesADraftReadableAsMarkdown()
    {
        var link = await VerifyAsync();

        var written = await RunQueuedDraftJobsAsync();
        var markdown = await MarkdownAsync();

        Assert.Equal([1], written);
        var draft = Assert.Single(await ListAsync());
        Assert.Equal((1, DraftStore.FirstVerification), (draft.Version, draft.Reason));
        Assert.Contains($"({link})", markdown);
        Assert.Contains("## The entry trick", markdown);
        Assert.Contains("## The rub of reality", markdown);
        Assert.Contains("## The seven days", markdown);
        Assert.Contains("| 7 |", markdown);
        Assert.Contains("## What to try next", markdown);
    }

    [Fact]
    public async Task DraftRenderedBeforeVerification_IsRedrawnWhenThePayoffVerifies()
    {
        Assert.Equal(1, (await Rendering.RenderNowAsync(Slug, CancellationToken.None)).Version);
        Assert.NotNull(await _hub.Service<CaseStudyPublishing>().PublishAsync(Slug, 1, CancellationToken.None));

        await VerifyAsync();
        var written = await RunQueuedDraftJobsAsync();
        var drafts = await ListAsync();

        Assert.Equal([2], written);
        Assert.Equal([(1, DraftStore.OnDemand), (2, DraftStore.PayoffVerified)], drafts.Select(d => (d.Version, d.Reason)));
        Assert.NotEqual(drafts[0].Facts, drafts[1].Facts);
    }

    [Fact]
    public async Task AfterVerification_MoreOfTheSameEvidenceIsNoNewVersion_ARefundIs()
    {
        var first = await VerifyAsync();
        Assert.Equal([1], await RunQueuedDraftJobsAsync());
        var refresh = () => _hub.Service<CaseStudyJob>().RefreshAsync(CancellationToken.None);

        await PostStripeAsync(StripeEvents.PaymentIntentSucceeded());
        var afterMoreEvidence = await refresh();
        await PostStripeAsync(StripeEvents.ChargeRefunded(first[(first.LastIndexOf('/') + 1)..], amountRefunded: 1900));
        var afterRefund = await refresh();
        var again = await refresh();
        var drafts = await ListAsync();

        Assert.Equal(0, afterMoreEvidence);
        Assert.Equal(1, afterRefund);
        Assert.Equal(0, again);
        Assert.Equal([(1, DraftStore.FirstVerification), (2, DraftStore.StoryChanged)], drafts.Select(d => (d.Version, d.Reason)));
        Assert.False(DraftFacts.SameStory(drafts[0].Facts, drafts[1].Facts));
        Assert.Equal(2, (await _hub.MicromasteryAsync(Slug)).EvidenceCount);
        Assert.NotEqual(await MarkdownAsync(1), await MarkdownAsync());
    }

    [Fact]
    public async Task RenderOnDemand_AddsAVersionAndKeepsTheEarlierOnes()
    {
        await VerifyAsync();
        Assert.Equal([1], await RunQueuedDraftJobsAsync());
        File.WriteAllText(Path.Combine(_templates, CaseStudyRenderer.Template), "# My own take on {{ micromastery.name }}");

        var created = await Rendering.RenderNowAsync(Slug, CancellationToken.None);
        _hub.Service<PayoffLedger>().AnnounceVerified([Slug]); // a re-run of the first-verification job adds nothing
        var rerun = await RunQueuedDraftJobsAsync();

        Assert.Equal(2, created.Version);
        Assert.Equal([null], rerun);
        Assert.Equal([1, 2], (await ListAsync()).Select(d => d.Version));
        Assert.Equal("# My own take on Stripe payment link + Tax ID setup", await MarkdownAsync());
        Assert.Contains("## The seven days", await MarkdownAsync(1));
    }

    [Fact]
    public async Task BrokenTemplate_FailsTheJobAndTheRender_WithFileLineAndColumn()
    {
        var path = Path.Combine(_templates, CaseStudyRenderer.Template);
        File.WriteAllText(path, "# {{ micromastery.name }}\n\n{{ micromastery.GetType }}");

        await VerifyAsync();
        var job = await Assert.ThrowsAsync<TemplateException>(RunQueuedDraftJobsAsync);
        var render = await Rendering.RenderNowAsync(Slug, CancellationToken.None);

        Assert.Contains($"{path}(3,17)", job.Message);
        Assert.Null(render.Version);
        Assert.Equal((path, 3, 17), (render.Failure!.File, render.Failure.Line, render.Failure.Column));
        Assert.Empty(await ListAsync());
    }
}

public sealed class CaseStudyDraftTests_Sqlite(SqliteStore store) : CaseStudyDraftTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class CaseStudyDraftTests_Postgres(PostgresStore store) : CaseStudyDraftTests(store), IClassFixture<PostgresStore>;
