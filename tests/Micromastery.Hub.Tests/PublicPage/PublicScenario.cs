using System.Net;
using System.Net.Http.Json;
using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>
/// A published micromastery next to a private one, both verified, both with a published case study:
/// whatever a stranger gets must name only the first.
/// </summary>
public static class PublicScenario
{
    public const string PublicSlug = "stripe-payment-link";
    public const string PublicName = "Stripe payment link + Tax ID setup";
    public const string PrivateSlug = "secret-lab";
    public const string PrivateName = "Quiet Kitchen Omelette";
    public const string PrivateUrl = "https://private.example/omelette-proof-7731";
    public const string PrivateNote = "folded thrice in the test kitchen";

    public const string Stack = """
        profile:
          name: Ada <Builder> & Co
          bio: One small skill a week, verified by the services themselves.
          links:
            - title: Blog
              url: https://ada.example/blog
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
            public: true
            checks:
              - type: stripe.test-payment
          - slug: first-newsletter
            name: First newsletter issue
            layer: B
            started: 2026-11-27
            public: true
            checks:
              - type: manual
          - slug: secret-lab
            name: Quiet Kitchen Omelette
            layer: physical
            started: 2026-11-21
            checks:
              - type: manual
        """;

    /// <summary>Verifies both payoffs (a Stripe webhook; manual evidence), publishes each one's first draft; returns the payment id.</summary>
    public static async Task<string> ArrangeAsync(HttpClient owner)
    {
        var paymentIntent = StripeEvents.NewId("pi_");
        var body = StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent);
        var webhook = await owner.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        var manual = await owner.PostAsJsonAsync($"/api/micromasteries/{PrivateSlug}/evidence", new { url = PrivateUrl, note = PrivateNote });
        Assert.Equal(HttpStatusCode.OK, manual.StatusCode);
        await owner.VerifiedAsync(PublicSlug);
        await owner.VerifiedAsync(PrivateSlug);

        foreach (var slug in new[] { PublicSlug, PrivateSlug })
        {
            await Eventually.ReturnsAsync(async () => (await owner.GetFromJsonAsync<List<DraftInfo>>($"/api/micromasteries/{slug}/drafts", HubClientExtensions.Json))!,
                d => d.Count > 0, $"the first case-study draft of {slug}");
            var publish = await owner.PostAsync($"/api/micromasteries/{slug}/drafts/1/publish", null);
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        return paymentIntent;
    }

    /// <summary>
    /// The same arrangement on the hub's services without a host: the webhook mapped and recorded as the inbox does,
    /// the manual evidence recorded by the API's service, each first-verification draft written by the job the
    /// verification queued (run here), then published as the owner's call does.
    /// </summary>
    internal static async Task<string> ArrangeAsync(HubServices hub)
    {
        var paymentIntent = StripeEvents.NewId("pi_");
        await hub.ApplyWebhookAsync("stripe", "payment_intent.succeeded", StripeEvents.PaymentIntentSucceeded(paymentIntentId: paymentIntent));
        var manual = await hub.Service<ManualEvidenceRecorder>().RecordAsync(PrivateSlug, new ManualEvidence(null, PrivateUrl, PrivateNote), CancellationToken.None);
        Assert.Null(manual.Error);
        foreach (var slug in new[] { PublicSlug, PrivateSlug })
        {
            await hub.MicromasteryAsync(slug, m => m.Payoff == PayoffStates.Verified, $"{slug} verified");
            Assert.Equal(1, await hub.Service<CaseStudyJob>().RunFirstAsync(slug, CancellationToken.None));
            Assert.NotNull(await hub.Service<CaseStudyPublishing>().PublishAsync(slug, 1, CancellationToken.None));
        }

        return paymentIntent;
    }
}
