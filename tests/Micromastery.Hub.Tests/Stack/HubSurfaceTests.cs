using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>The HTTP contract of PRODUCT.md: /api/stack, health, manual evidence; and the stack file watcher.</summary>
public abstract class HubSurfaceTests(HubFixture hub) : IAsyncLifetime
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
}

[Collection(SqliteCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class HubSurfaceTests_Sqlite(SqliteHub hub) : HubSurfaceTests(hub);

[Collection(PostgresCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class HubSurfaceTests_Postgres(PostgresHub hub) : HubSurfaceTests(hub);
