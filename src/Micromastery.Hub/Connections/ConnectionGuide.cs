namespace Micromastery.Hub.Connections;

/// <summary>
/// What <c>/connections</c> tells the owner about one service beyond its webhook source: the credential its
/// polling uses, whether it is set, and the next step to connect it. Each service's folder registers its own
/// (the provider modules will carry this; the page only iterates what is registered).
/// </summary>
/// <param name="Provider">The name its webhook route, its probe's area and its check types start with (<c>stripe</c>).</param>
/// <param name="CredentialKey">The configuration key of the API key or token, e.g. <c>Stripe:ApiKey</c>.</param>
/// <param name="CredentialUse">What the credential is for, in a phrase.</param>
/// <param name="NextStep">What to do next, given the webhook URL to paste (null for a service without webhooks).</param>
internal sealed record ConnectionGuide(
    string Provider,
    string DisplayName,
    string CredentialKey,
    Func<IServiceProvider, bool> CredentialSet,
    string CredentialUse,
    Func<string?, ConnectionStep> NextStep);

/// <summary>A next step: a sentence, and a command to copy when there is one.</summary>
public sealed record ConnectionStep(string Text, string? Command = null);

internal static class ConnectionGuides
{
    public static IServiceCollection AddConnectionGuide(this IServiceCollection services, ConnectionGuide guide) => services.AddSingleton(guide);
}
