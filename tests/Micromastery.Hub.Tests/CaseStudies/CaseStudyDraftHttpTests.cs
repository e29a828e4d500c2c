using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.CaseStudies;

/// <summary>
/// Case-study drafts over HTTP and on the owner's page: Markdown answers, 201 with the new version, the published
/// version shown outdated when the facts change, a broken template failing its Hangfire job at once and answering 422
/// with its place while the hub keeps running. The drafting rules themselves are in <see cref="CaseStudyDraftTests"/>.
/// </summary>
public abstract class CaseStudyDraftHttpTests(EmailHubFixture hub) : IAsyncLifetime
{
    private const string Slug = "stripe-payment-link";

    public Task InitializeAsync() => hub.ResetAsync();

    public Task DisposeAsync()
    {
        foreach (var file in Directory.GetFiles(hub.OverrideFolder))
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    private async Task<string> VerifyAsync()
    {
        var paymentIntent = StripeEvents.NewId("pi_");
        var body = StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent);
        var response = await hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await hub.Client.VerifiedAsync(Slug);
        return $"https://dashboard.stripe.com/test/payments/{paymentIntent}";
    }

    private Task<List<DraftInfo>> DraftsAsync() => hub.Client.GetFromJsonAsync<List<DraftInfo>>($"/api/micromasteries/{Slug}/drafts", HubClientExtensions.Json)!;

    [Fact]
    public async Task Drafts_AreServedAsMarkdown_AndRenderingOneAnswers201WithItsVersion()
    {
        await VerifyAsync();
        await Eventually.ReturnsAsync(DraftsAsync, d => d.Count > 0, "the first case-study draft");

        var latest = await hub.Client.GetAsync($"/api/micromasteries/{Slug}/drafts/latest");
        var created = await hub.Client.PostAsync($"/api/micromasteries/{Slug}/drafts", null);

        Assert.Equal("text/markdown", latest.Content.Headers.ContentType!.MediaType);
        Assert.Contains("## The seven days", await latest.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(2, (await created.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>());
        Assert.Equal([1, 2], (await DraftsAsync()).Select(d => d.Version));
    }

    [Fact]
    public async Task DraftRenderedBeforeVerification_IsRedrawnWhenThePayoffVerifies_AndTheOwnerSeesThePublishedOneIsOutdated()
    {
        Assert.Equal(HttpStatusCode.Created, (await hub.Client.PostAsync($"/api/micromasteries/{Slug}/drafts", null)).StatusCode);
        Assert.True((await hub.Client.PostAsync($"/api/micromasteries/{Slug}/drafts/1/publish", null)).IsSuccessStatusCode);

        await VerifyAsync();
        var drafts = await Eventually.ReturnsAsync(DraftsAsync, d => d.Count > 1, "a draft from the verified facts");
        var page = await hub.Client.GetStringAsync($"/micromasteries/{Slug}");

        Assert.Equal([(1, DraftStore.OnDemand), (2, DraftStore.PayoffVerified)], drafts.Select(d => (d.Version, d.Reason)));
        Assert.Contains("Version 1 is the published case study", page, StringComparison.Ordinal);
        Assert.Contains("A newer version (2) is below", page, StringComparison.Ordinal);
        Assert.Contains("The facts changed since the published case study (version 1) was written", page, StringComparison.Ordinal);
        Assert.DoesNotContain("changed since this version was rendered", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreOfTheSameEvidence_IsNoNewVersion_ButTheOwnersPageSaysTheLatestChanged()
    {
        await VerifyAsync();
        await Eventually.ReturnsAsync(DraftsAsync, d => d.Count == 1, "the first case-study draft");
        await hub.QuiesceAsync();

        await PostStripeAsync(StripeEvents.PaymentIntentSucceeded());
        var afterMoreEvidence = await hub.Service<CaseStudyJob>().RefreshAsync(CancellationToken.None);
        var page = await hub.Client.GetStringAsync($"/micromasteries/{Slug}");

        Assert.Equal(0, afterMoreEvidence);
        Assert.Single(await DraftsAsync());
        Assert.Contains("changed since this version was rendered", page, StringComparison.Ordinal);
        Assert.Contains("2 pieces of evidence", page, StringComparison.Ordinal);
    }

    private async Task PostStripeAsync(string body)
    {
        var response = await hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await hub.QuiesceAsync();
    }

    [Fact]
    public async Task BrokenTemplate_FailsTheJobWithFileLineAndColumn_AndTheHubKeepsRunning()
    {
        var path = Path.Combine(hub.OverrideFolder, CaseStudyRenderer.Template);
        File.WriteAllText(path, "# {{ micromastery.name }}\n\n{{ micromastery.GetType }}");

        await VerifyAsync();
        var monitor = hub.Service<JobStorage>().GetMonitoringApi();
        var failed = await Eventually.ReturnsAsync(() => Task.FromResult(monitor.FailedJobs(0, 50)),
            jobs => jobs.Any(j => j.Value.Job.Type == typeof(CaseStudyJob)), "the case-study job to fail");
        var render = await hub.Client.PostAsync($"/api/micromasteries/{Slug}/drafts", null);
        var problem = await Problem.ReadAsync(render);

        var failure = failed.Last(j => j.Value.Job.Type == typeof(CaseStudyJob)).Value;
        Assert.Contains($"{path}(3,17)", failure.ExceptionMessage);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, render.StatusCode);
        Assert.Equal((path, 3, 17), (problem!["file"]!.GetValue<string>(), problem["line"]!.GetValue<int>(), problem["column"]!.GetValue<int>()));
        Assert.Empty(await DraftsAsync());
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task BrokenWeeklyTemplate_PreviewAnswers422WithTheLocation_AndTextPreviewStillWorks()
    {
        File.WriteAllText(Path.Combine(hub.OverrideFolder, "weekly.html.sbn"), "<p>\n  {{ for m in active }}");

        var html = await hub.Client.GetAsync("/api/weekly/preview");
        var text = await hub.Client.GetAsync("/api/weekly/preview?format=text");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, html.StatusCode);
        var problem = await Problem.ReadAsync(html);
        Assert.EndsWith("weekly.html.sbn", problem["file"]!.GetValue<string>());
        Assert.Equal(2, problem["line"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        Assert.Contains("IN PROGRESS", await text.Content.ReadAsStringAsync());
    }
}

[Collection(EmailSqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class CaseStudyDraftHttpTests_Sqlite(EmailSqliteHub hub) : CaseStudyDraftHttpTests(hub);

[Collection(EmailPostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class CaseStudyDraftHttpTests_Postgres(EmailPostgresHub hub) : CaseStudyDraftHttpTests(hub);
