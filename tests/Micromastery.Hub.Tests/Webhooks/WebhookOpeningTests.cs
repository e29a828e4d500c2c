using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// The opening rules every delivery passes (secret configured, signature header present, the provider's
/// verification, ids that fit) over many malformed deliveries, without a host. <see cref="ReceiverRuleTests"/>
/// proves the same rules through HTTP with storage, one sample per provider.
/// </summary>
public sealed class WebhookOpeningTests
{
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
    public static TheoryData<string, string> EventsWithoutIdentity
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var kit in WebhookKit.All.Values)
            {
                foreach (var missing in kit.IdentityCases)
                {
                    data.Add(kit.Provider, missing);
                }
            }

            return data;
        }
    }

    public static TheoryData<string, string?> UnsetSecrets
    {
        get
        {
            var data = new TheoryData<string, string?>();
            foreach (var provider in WebhookDelivery.Providers)
            {
                data.Add(provider, null);
                data.Add(provider, "");
                data.Add(provider, "   ");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void RealisticDelivery_IsAccepted(string provider)
    {
        var check = WebhookDelivery.Realistic(provider).CheckedBy(TestWebhookSources.For(provider));

        var accepted = Assert.IsType<WebhookCheck.Accepted>(check);
        Assert.NotEmpty(accepted.EventId);
        Assert.NotEmpty(accepted.EventType);
    }

    [Theory]
    [MemberData(nameof(UnsetSecrets))]
    public void SecretNotConfigured_Is503NamingTheSetting(string provider, string? unset)
    {
        var check = WebhookDelivery.Realistic(provider).CheckedBy(TestWebhookSources.For(provider, unset));

        var rejected = Assert.IsType<WebhookCheck.Rejected>(check);
        Assert.Equal(503, rejected.StatusCode);
        Assert.EndsWith(":WebhookSecret", rejected.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void MissingSignature_Is400NamingTheHeader(string provider)
    {
        var delivery = WebhookDelivery.Realistic(provider) with { Unsigned = true };

        var rejected = Assert.IsType<WebhookCheck.Rejected>(delivery.CheckedBy(TestWebhookSources.For(provider)));

        Assert.Equal(400, rejected.StatusCode);
        Assert.Equal($"missing {delivery.SignatureHeader} header", rejected.Reason);
    }

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public void MalformedSignature_Is400(string provider, string signature)
    {
        var delivery = WebhookDelivery.Realistic(provider);
        delivery = delivery with { Signature = delivery.Fill(signature) };

        AssertRefused(delivery);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void SignatureMadeWithAnotherSecret_Is400(string provider) =>
        AssertRefused(WebhookDelivery.Realistic(provider) with { Secret = "someone-elses-webhook-secret" });

    [Theory]
    [MemberData(nameof(Providers))]
    public void BodyTamperedAfterSigning_Is400(string provider) =>
        AssertRefused(WebhookDelivery.Realistic(provider).Tampered());

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void MalformedJsonUnderAValidSignature_Is400(string provider, string body) =>
        AssertRefused(new WebhookDelivery(provider, body));

    [Theory]
    [MemberData(nameof(EventsWithoutIdentity))]
    public void SignedObjectThatIsNotAnEvent_Is400(string provider, string missing)
    {
        var delivery = WebhookDelivery.Realistic(provider).WithoutIdentity(missing);

        AssertRefused(delivery);
    }

    [Theory]
    [InlineData(255, true)]
    [InlineData(256, false)]
    public void GitHubDeliveryId_IsBoundedByTheInbox(int length, bool accepted)
    {
        // The hook id and a colon prefix the delivery id: together they must fit the inbox's bound.
        var delivery = WebhookDelivery.Realistic("github") with { GitHubDelivery = new string('d', length - "292430182:".Length) };

        var check = delivery.CheckedBy(TestWebhookSources.GitHub());

        Assert.Equal(accepted, check is WebhookCheck.Accepted);
        if (!accepted)
        {
            Assert.Equal(400, Assert.IsType<WebhookCheck.Rejected>(check).StatusCode);
        }
    }

    private static void AssertRefused(WebhookDelivery delivery)
    {
        var rejected = Assert.IsType<WebhookCheck.Rejected>(delivery.CheckedBy(TestWebhookSources.For(delivery.Provider)));
        Assert.Equal(400, rejected.StatusCode);
    }
}
