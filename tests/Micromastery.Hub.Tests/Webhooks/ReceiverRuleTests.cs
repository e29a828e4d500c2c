using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// The rules every webhook receiver shares — storage, de-duplication, rejection and 503 — run against
/// each provider's POST /webhooks/{provider} (one <see cref="WebhookKit"/> each; <c>ProviderModuleTests</c> holds that
/// the kits are the hub's registered webhook providers), on both storage providers. What only one provider does
/// (Stripe's timestamp tolerance, GitHub's ping, Cal.com's triggers…) stays in that provider's own tests, and the variety of malformed deliveries runs without a host in <see cref="WebhookOpeningTests"/>.
/// </summary>
public abstract class ReceiverRuleTests(ServicesHub hub) : IAsyncLifetime
{
    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
            checks:
              - type: stripe.test-payment
          - slug: ci
            name: GitHub Actions workflow
            layer: A
            started: 2026-11-20
            checks:
              - type: github.workflow-run
                repo: octo-org/octo-repo
                workflow: test.yml
          - slug: calcom-tiers
            name: Tiered Cal.com links
            layer: E
            started: 2026-11-20
            checks:
              - type: calcom.booking
        """;

    public static TheoryData<string> Providers => new(WebhookDelivery.Providers);

    /// <summary>Per provider, a signature in its shape that is still wrong; <see cref="WebhookOpeningTests"/> covers the variety without a host.</summary>
    public static TheoryData<string, string> MalformedSignatureSamples => Pairs(k => k.MalformedSignature);

    /// <summary>Per provider, its first way of losing what says which event it is.</summary>
    public static TheoryData<string, string> EventWithoutIdentitySamples => Pairs(k => k.IdentityCases[0]);

    private static TheoryData<string, string> Pairs(Func<WebhookKit, string> sample)
    {
        var data = new TheoryData<string, string>();
        foreach (var kit in WebhookKit.All.Values)
        {
            data.Add(kit.Provider, sample(kit));
        }

        return data;
    }

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ValidSignedEvent_IsStoredOnceVerbatimAndProcessed(string provider)
    {
        var delivery = WebhookDelivery.Realistic(provider);

        var response = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = await AckAsync(response);
        Assert.Equal("stored", ack.Status);
        var stored = Assert.Single(await InboxAsync());
        Assert.Equal(provider, stored.Provider);
        Assert.Equal(ack.Id, stored.EventId);
        Assert.Equal(delivery.Body, stored.Body);
        Assert.Equal((int)InboxState.Processed, (await hub.ProcessedAsync(provider)).State);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Redelivery_IsAcknowledgedAsDuplicateAndStoredOnce(string provider)
    {
        var delivery = WebhookDelivery.Realistic(provider) with { SignedAt = DateTimeOffset.UtcNow.AddMinutes(-1) };

        var first = await delivery.PostAsync(hub.Client);
        await hub.ProcessedAsync(provider);
        // The provider's retry: Stripe signs the same event again (new timestamp), GitHub resends the same
        // X-GitHub-Delivery, Cal.com the same bytes.
        var second = await (delivery with { SignedAt = DateTimeOffset.UtcNow }).PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var (firstAck, secondAck) = (await AckAsync(first), await AckAsync(second));
        Assert.Equal("stored", firstAck.Status);
        Assert.Equal("duplicate", secondAck.Status);
        Assert.Equal(firstAck.Id, secondAck.Id);
        var stored = Assert.Single(await InboxAsync());
        Assert.Equal(provider, stored.Provider);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConcurrentDeliveriesOfOneEvent_AreAllAcknowledgedAndStoredOnce(string provider)
    {
        var delivery = WebhookDelivery.Realistic(provider);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => delivery.PostAsync(hub.Client)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var acks = await Task.WhenAll(responses.Select(AckAsync));
        Assert.Equal(1, acks.Count(a => a.Status == "stored"));
        Assert.Equal(7, acks.Count(a => a.Status == "duplicate"));
        Assert.Single(acks.Select(a => a.Id).Distinct());
        var stored = Assert.Single(await InboxAsync());
        Assert.Equal(provider, stored.Provider);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task MissingSignature_Is400NamingTheHeaderAndNothingStored(string provider)
    {
        var delivery = WebhookDelivery.Realistic(provider) with { Unsigned = true };

        var response = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(delivery.SignatureHeader, await response.Content.ReadAsStringAsync());
        Assert.Empty(await InboxAsync());
    }

    [Theory]
    [MemberData(nameof(MalformedSignatureSamples))]
    public async Task MalformedSignature_Is400AndNothingStored(string provider, string signature)
    {
        var delivery = WebhookDelivery.Realistic(provider);
        delivery = delivery with { Signature = delivery.Fill(signature) };

        var response = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SignatureMadeWithAnotherSecret_Is400AndNothingStored(string provider)
    {
        var delivery = WebhookDelivery.Realistic(provider) with { Secret = "someone-elses-webhook-secret" };

        var response = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task BodyTamperedAfterSigning_Is400AndNothingStored(string provider)
    {
        var delivery = WebhookDelivery.Realistic(provider);
        var tampered = delivery.Tampered();
        Assert.NotEqual(delivery.Body, tampered.Body);

        var response = await tampered.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SignedBodyOverOneMiB_Is413AndNothingStored(string provider)
    {
        var delivery = WebhookDelivery.Realistic(provider).PaddedTo(WebhookEndpoints.MaxBodyBytes + 1);
        Assert.Equal(WebhookEndpoints.MaxBodyBytes + 1, Encoding.UTF8.GetByteCount(delivery.Body));

        var response = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SignedBodyOfExactlyOneMiB_IsStored(string provider)
    {
        var delivery = WebhookDelivery.Realistic(provider).PaddedTo(WebhookEndpoints.MaxBodyBytes);
        Assert.Equal(WebhookEndpoints.MaxBodyBytes, Encoding.UTF8.GetByteCount(delivery.Body));

        var response = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await InboxAsync());
        Assert.Equal(provider, stored.Provider);
        Assert.Equal(delivery.Body, stored.Body);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task MalformedJsonUnderAValidSignature_Is400AndNothingStored(string provider)
    {
        var delivery = new WebhookDelivery(provider, "{not json");

        var response = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task BodyThatIsNotUtf8UnderAValidSignature_Is400AndNothingStored(string provider)
    {
        // JSON between systems must be UTF-8; a body that is not could only be stored altered, not as signed.
        // The realistic event with one more property whose value holds a byte that is not UTF-8; the rest intact.
        var body = WebhookDelivery.Realistic(provider).Body;
        var bytes = Encoding.UTF8.GetBytes("{\"note\":\"?\"," + body[(body.IndexOf('{', StringComparison.Ordinal) + 1)..]);
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xFF;
        var delivery = new WebhookDelivery(provider, "") { RawBody = bytes };

        var response = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Theory]
    [MemberData(nameof(EventWithoutIdentitySamples))]
    public async Task SignedObjectThatIsNotAnEvent_Is400AndNothingStored(string provider, string missing)
    {
        var delivery = WebhookDelivery.Realistic(provider).WithoutIdentity(missing);

        var response = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task WebhookSecretNotConfigured_Is503AndNothingStoredThenTheRetryIsStored(string provider)
    {
        // Empty and blank secrets are refused alike in WebhookOpeningTests; here the setting is removed and restored live.
        var delivery = WebhookDelivery.Realistic(provider);
        HttpResponseMessage whileUnset;
        SetWebhookSecret(provider, null);
        try
        {
            whileUnset = await delivery.PostAsync(hub.Client);
        }
        finally
        {
            SetWebhookSecret(provider, WebhookDelivery.SecretOf(provider));
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileUnset.StatusCode);
        Assert.Contains("WebhookSecret", await whileUnset.Content.ReadAsStringAsync());
        Assert.Empty(await InboxAsync());

        var retry = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("stored", (await AckAsync(retry)).Status);
        Assert.Equal(provider, Assert.Single(await InboxAsync()).Provider);
    }

    private void SetWebhookSecret(string provider, string? secret) => WebhookKit.For(provider).SetSecret(hub, secret);

    /// <summary>Every row of the inbox, whichever provider.</summary>
    private async Task<IReadOnlyList<StoredRow>> InboxAsync()
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return (await connection.QueryAsync<StoredRow>("SELECT provider AS Provider, event_id AS EventId, body AS Body FROM inbox_events ORDER BY id")).ToList();
    }

    private static async Task<Ack> AckAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<Ack>())!;

    private sealed record Ack(string Id, string Status);

    private sealed class StoredRow
    {
        public string Provider { get; set; } = "";

        public string EventId { get; set; } = "";

        public string Body { get; set; } = "";
    }
}

[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed class ReceiverRuleTests_Sqlite(SqliteServicesHub hub) : ReceiverRuleTests(hub);

[Collection(PostgresServicesCollection.Name)]
[Trait(Needs.Key, Needs.Postgres)]
public sealed class ReceiverRuleTests_Postgres(PostgresServicesHub hub) : ReceiverRuleTests(hub);
