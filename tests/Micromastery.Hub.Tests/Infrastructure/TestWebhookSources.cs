using Micromastery.Hub.CalCom;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>The hub's webhook sources, built without a host and configured with the secrets the test deliveries are signed with.</summary>
public static class TestWebhookSources
{
    internal static StripeWebhookSource Stripe(string? secret = HubFactory.StripeSecret, TimeProvider? clock = null) =>
        new(new FixedOptions<StripeOptions>(new StripeOptions { WebhookSecret = secret }), clock ?? TimeProvider.System);

    /// <summary>GitHub's source reads the stack only when mapping a check suite; verification needs none.</summary>
    internal static GitHubWebhookSource GitHub(string? secret = ServicesHub.GitHubSecret, StackStore? stack = null) =>
        new(new FixedOptions<GitHubOptions>(new GitHubOptions { WebhookSecret = secret }), stack!);

    internal static CalComWebhookSource CalCom(string? secret = ServicesHub.CalComSecret) =>
        new(new FixedOptions<CalComOptions>(new CalComOptions { WebhookSecret = secret }));

    internal static IWebhookSource For(string provider) => For(provider, WebhookDelivery.SecretOf(provider));

    internal static IWebhookSource For(string provider, string? secret) => WebhookKit.For(provider).Source(secret);
}
