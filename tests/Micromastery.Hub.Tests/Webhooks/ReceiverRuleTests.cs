using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// The rules the three webhook receivers share — storage, de-duplication, rejection and 503 — run against
/// each of POST /webhooks/stripe, /webhooks/github and /webhooks/calcom, on both storage providers. What
/// only one provider does (Stripe's timestamp tolerance, GitHub's ping, Cal.com's triggers…) stays in that
/// provider's own tests.
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

    /// <summary>
    /// Signature values that must never pass. <c>{t}</c> and <c>{hex}</c> stand for the delivery's signing
    /// time and its correct HMAC (for Stripe over the <c>t=</c> value given, so a malformed timestamp is
    /// covered by a correct MAC): a correct MAC in the wrong shape is refused as well.
    /// </summary>
    public static TheoryData<string, string> MalformedSignatures => new()
    {
        { "stripe", "t=1700000000,v1=8042376f6ca064adbe037642a718227dfd59047137eb49497a54c49eb0cfb724" },
        { "stripe", "v1=deadbeef" },
        { "stripe", "garbage" },
        { "stripe", ",,," },
        { "stripe", "t={t}" },
        { "stripe", "v1={hex}" },
        { "stripe", "t={t},v0={hex}" },
        { "stripe", "t=not-a-time,v1={hex}" },
        { "stripe", "t=,v1={hex}" },
        { "stripe", "t=99999999999,v1={hex}" },
        { "github", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
        { "github", "sha256=nothex" },
        { "github", "sha256=" },
        { "github", "sha1=0123456789abcdef0123456789abcdef01234567" },
        { "github", "{hex}" },
        { "github", "sha1={hex}" },
        { "github", "sha256={hex}00" },
        { "calcom", "no-secret-provided" },
        { "calcom", "347de9ee06e5a4132bbd5abc3d92f96fd565ad2b4e628f32ed4a6a49ed832f02" },
        { "calcom", "sha256=abc" },
        { "calcom", "sha256={hex}" },
        { "calcom", "{hex}00" },
        { "calcom", "zz" },
    };

    /// <summary>Bodies that are not one JSON object, each sent under a valid signature.</summary>
    public static TheoryData<string, string> MalformedBodies
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var provider in WebhookDelivery.Providers)
            {
                foreach (var body in new[] { "{not json", "[1,2,3]", "[]", "null", "\"event\"", "42", "", "{\"id\":" })
                {
                    data.Add(provider, body);
                }
            }

            return data;
        }
    }

    /// <summary>
    /// Signed JSON objects that do not say which event they are, so they could not be de-duplicated or
    /// processed: Stripe's id or type in the body, GitHub's X-GitHub-Delivery or X-GitHub-Event header,
    /// Cal.com's triggerEvent, createdAt and payload.
    /// </summary>
    public static TheoryData<string, string> EventsWithoutIdentity => new()
    {
        { "stripe", "no id" },
        { "stripe", "no type" },
        { "stripe", "empty object" },
        { "github", "no X-GitHub-Delivery" },
        { "github", "no X-GitHub-Event" },
        { "calcom", "no payload" },
        { "calcom", "no createdAt" },
        { "calcom", "no triggerEvent" },
        { "calcom", "empty object" },
    };

    public static TheoryData<string, string?> UnsetSecrets
    {
        get
        {
            var data = new TheoryData<string, string?>();
            foreach (var provider in WebhookDelivery.Providers)
            {
                data.Add(provider, null);
                data.Add(provider, "");
            }

            return data;
        }
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
    [MemberData(nameof(MalformedSignatures))]
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
    [MemberData(nameof(MalformedBodies))]
    public async Task MalformedJsonUnderAValidSignature_Is400AndNothingStored(string provider, string body)
    {
        var delivery = new WebhookDelivery(provider, body);

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
    [MemberData(nameof(EventsWithoutIdentity))]
    public async Task SignedObjectThatIsNotAnEvent_Is400AndNothingStored(string provider, string missing)
    {
        var realistic = WebhookDelivery.Realistic(provider);
        var json = JsonNode.Parse(realistic.Body)!.AsObject();
        var delivery = (provider, missing) switch
        {
            ("stripe", "no id") => realistic with { Body = Without(json, "id") },
            ("stripe", "no type") => realistic with { Body = Without(json, "type") },
            ("github", "no X-GitHub-Delivery") => realistic with { GitHubDelivery = null },
            ("github", "no X-GitHub-Event") => realistic with { GitHubEvent = null },
            ("calcom", "no payload") => realistic with { Body = Without(json, "payload") },
            ("calcom", "no triggerEvent") => realistic with { Body = Without(json, "triggerEvent") },
            ("calcom", "no createdAt") => realistic with { Body = Without(json, "createdAt") },
            (_, "empty object") => realistic with { Body = "{}" },
            _ => throw new ArgumentOutOfRangeException(nameof(missing), missing, "no such case"),
        };

        var response = await delivery.PostAsync(hub.Client);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Theory]
    [MemberData(nameof(UnsetSecrets))]
    public async Task WebhookSecretNotConfigured_Is503AndNothingStoredThenTheRetryIsStored(string provider, string? unset)
    {
        var delivery = WebhookDelivery.Realistic(provider);
        HttpResponseMessage whileUnset;
        SetWebhookSecret(provider, unset);
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

    private void SetWebhookSecret(string provider, string? secret)
    {
        switch (provider)
        {
            case "stripe":
                hub.SetSetting<Micromastery.Hub.Stripe.StripeOptions>("Stripe:WebhookSecret", secret);
                break;
            case "github":
                hub.SetSetting<Micromastery.Hub.GitHub.GitHubOptions>("GitHub:WebhookSecret", secret);
                break;
            case "calcom":
                hub.SetSetting<Micromastery.Hub.CalCom.CalComOptions>("CalCom:WebhookSecret", secret);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider");
        }
    }

    private static string Without(JsonObject json, string property)
    {
        Assert.True(json.Remove(property), $"the realistic event has no '{property}' to remove");
        return json.ToJsonString();
    }

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

/// <summary>
/// One webhook delivery as its provider sends it: the body and the provider's headers, signed with
/// <see cref="Secret"/> over the body (or over <see cref="SignedBody"/> when the body was changed after signing).
/// </summary>
public sealed record WebhookDelivery(string Provider, string Body)
{
    public static readonly string[] Providers = ["stripe", "github", "calcom"];

    private const string GitHubHookId = "292430182";

    /// <summary>The secret the hub under test is configured with, per provider.</summary>
    public static string SecretOf(string provider) => provider switch
    {
        "stripe" => HubFactory.StripeSecret,
        "github" => ServicesHub.GitHubSecret,
        "calcom" => ServicesHub.CalComSecret,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider"),
    };

    /// <summary>A realistic event from the committed fixtures: a test payment, a successful workflow run, a booking.</summary>
    public static WebhookDelivery Realistic(string provider) => provider switch
    {
        "stripe" => new(provider, StripeEvents.PaymentIntentSucceeded()),
        "github" => new(provider, Payloads.Text("github", "workflow_run.completed.json")),
        "calcom" => new(provider, Payloads.Text("calcom", "booking_created.json")),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider"),
    };

    public string Secret { get; init; } = SecretOf(Provider);

    /// <summary>The text the signature covers; null means the body as sent.</summary>
    public string? SignedBody { get; init; }

    /// <summary>Bytes sent and signed instead of <see cref="Body"/>, for bodies that are not valid UTF-8 text.</summary>
    public byte[]? RawBody { get; init; }

    /// <summary>Stripe signs a timestamp with the body; a retry carries a new one.</summary>
    public DateTimeOffset SignedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Sent instead of the computed signature.</summary>
    public string? Signature { get; init; }

    /// <summary>Sends no signature header at all.</summary>
    public bool Unsigned { get; init; }

    /// <summary>GitHub's delivery GUID, the same on a redelivery; null leaves the header out.</summary>
    public string? GitHubDelivery { get; init; } = Guid.NewGuid().ToString();

    /// <summary>GitHub's event name; null leaves the header out.</summary>
    public string? GitHubEvent { get; init; } = "workflow_run";

    public string SignatureHeader => Provider switch
    {
        "stripe" => "Stripe-Signature",
        "github" => "X-Hub-Signature-256",
        "calcom" => "X-Cal-Signature-256",
        _ => throw new InvalidOperationException($"unknown provider {Provider}"),
    };

    private string Timestamp => SignedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The correct hex HMAC of this delivery; for Stripe over "{<paramref name="timestamp"/>}.{body}".</summary>
    private string Hex(string timestamp)
    {
        var signed = RawBody ?? Encoding.UTF8.GetBytes(SignedBody ?? Body);
        var data = Provider == "stripe" ? [.. Encoding.UTF8.GetBytes(timestamp + "."), .. signed] : signed;
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), data));
    }

    /// <summary>The signature header value the provider would send.</summary>
    public string ComputedSignature => (Provider, RawBody) switch
    {
        ("stripe", null) => StripeEvents.Sign(SignedBody ?? Body, Secret, SignedAt),
        ("github", null) => TestSignatures.GitHub(SignedBody ?? Body, Secret),
        ("calcom", null) => TestSignatures.CalCom(SignedBody ?? Body, Secret),
        ("stripe", _) => $"t={Timestamp},v1={Hex(Timestamp)}",
        ("github", _) => "sha256=" + Hex(Timestamp),
        ("calcom", _) => Hex(Timestamp),
        _ => throw new InvalidOperationException($"unknown provider {Provider}"),
    };

    /// <summary>
    /// Replaces <c>{t}</c> and <c>{hex}</c> in <paramref name="template"/> with this delivery's timestamp and
    /// correct HMAC; a Stripe template's own <c>t=</c> value is what its MAC signs.
    /// </summary>
    public string Fill(string template)
    {
        var filled = template.Replace("{t}", Timestamp, StringComparison.Ordinal);
        var given = System.Text.RegularExpressions.Regex.Match(filled, "(?:^|,)t=([^,]*)");
        return filled.Replace("{hex}", Hex(given.Success ? given.Groups[1].Value : Timestamp), StringComparison.Ordinal);
    }

    /// <summary>The same delivery with a field changed after it was signed (an amount, a repository, a booking).</summary>
    public WebhookDelivery Tampered()
    {
        var body = Provider switch
        {
            "stripe" => Body.Replace("\"amount_received\":1900", "\"amount_received\":1", StringComparison.Ordinal),
            "github" => Body.Replace("octo-org/octo-repo", "octo-org/evil-repo", StringComparison.Ordinal),
            "calcom" => Body.Replace("bFJeNb2uX8ANpT3JL5EfXw", "attackerChosenUid00000", StringComparison.Ordinal),
            _ => throw new InvalidOperationException($"unknown provider {Provider}"),
        };
        return this with { SignedBody = SignedBody ?? Body, Body = body };
    }

    /// <summary>The same event with a padding field, so the (re-signed) body is exactly <paramref name="bytes"/> long.</summary>
    public WebhookDelivery PaddedTo(int bytes)
    {
        var json = JsonNode.Parse(Body)!.AsObject();
        json["pad"] = "";
        var without = Encoding.UTF8.GetByteCount(json.ToJsonString());
        json["pad"] = new string('x', bytes - without);
        return this with { Body = json.ToJsonString(), SignedBody = null };
    }

    public (string Name, string Value)[] Headers()
    {
        var headers = new List<(string, string)>();
        if (Provider == "github")
        {
            if (GitHubEvent is not null)
            {
                headers.Add(("X-GitHub-Event", GitHubEvent));
            }

            if (GitHubDelivery is not null)
            {
                headers.Add(("X-GitHub-Delivery", GitHubDelivery));
            }

            headers.Add(("X-GitHub-Hook-ID", GitHubHookId));
        }

        if (!Unsigned)
        {
            headers.Add((SignatureHeader, Signature ?? ComputedSignature));
        }

        return [.. headers];
    }

    public Task<HttpResponseMessage> PostAsync(HttpClient client)
    {
        if (RawBody is null)
        {
            return client.PostWebhookAsync(Provider, Body, Headers());
        }

        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{Provider}") { Content = new ByteArrayContent(RawBody) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in Headers())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }
}

[Collection(SqliteServicesCollection.Name)]
public sealed class ReceiverRuleTests_Sqlite(SqliteServicesHub hub) : ReceiverRuleTests(hub);

[Collection(PostgresServicesCollection.Name)]
public sealed class ReceiverRuleTests_Postgres(PostgresServicesHub hub) : ReceiverRuleTests(hub);
