using System.Collections.Concurrent;
using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Connections;

/// <summary>The answer of a Test connection: the <c>config</c> verb's probe lines for one provider, and when it ran.</summary>
public sealed record ConnectionTest(DateTimeOffset At, IReadOnlyList<ProbeResult> Results);

/// <summary>One provider as <c>/connections</c> shows it.</summary>
/// <param name="WebhookUrl">The URL to paste into the provider; null for a service without webhooks.</param>
/// <param name="NeverReceivedByWebhook">
/// Events the inbox reconciliation found in the provider's own log that never arrived by webhook, in the last
/// <see cref="ConnectionsReader.MissedWindow"/>; null for a provider whose log the hub cannot ask (the page shows the line only otherwise).
/// </param>
public sealed record ProviderConnection(
    string Provider,
    string DisplayName,
    string? WebhookUrl,
    string? SecretKey,
    bool SecretSet,
    InboxEventSummary? LastDelivery,
    long SignatureFailures24h,
    long RefusedWithoutSecret24h,
    string? CredentialKey,
    bool CredentialSet,
    string? CredentialUse,
    ConnectionStep? NextStep,
    IReadOnlyList<string> UsedBy,
    ConnectionTest? LastTest,
    long? NeverReceivedByWebhook = null)
{
    public bool HasWebhook => WebhookUrl is not null;
}

/// <summary>
/// Builds the connections page from what is registered: every webhook source, every service's
/// <see cref="ConnectionGuide"/>, the inbox's newest delivery per provider, the refusal counts, and the last Test connection.
/// </summary>
internal sealed class ConnectionsReader(
    IEnumerable<IWebhookSource> sources,
    IEnumerable<ConnectionGuide> guides,
    IEnumerable<IProviderEventLog> logs,
    IEnumerable<IConfigurationProbe> probes,
    InboxStore inbox,
    WebhookRefusals refusals,
    StackStore stack,
    CheckTypeRegistry types,
    IServiceProvider services,
    IOptionsMonitor<PublicOptions> publicOptions,
    TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ConnectionTest> _tests = new(StringComparer.Ordinal);

    /// <summary>How far back "never received by webhook" counts.</summary>
    public static readonly TimeSpan MissedWindow = TimeSpan.FromDays(30);

    public IEnumerable<string> Providers =>
        sources.Select(s => s.Provider).Concat(guides.Select(g => g.Provider)).Distinct(StringComparer.Ordinal);

    public async Task<IReadOnlyList<ProviderConnection>> ReadAsync(HttpContext context, CancellationToken ct)
    {
        var root = PublicEndpoints.Root(context, publicOptions.CurrentValue).TrimEnd('/');
        var list = new List<ProviderConnection>();
        var recovered = await inbox.RecoveredSinceAsync(clock.GetUtcNow() - MissedWindow, ct);
        foreach (var provider in Providers)
        {
            var source = sources.FirstOrDefault(s => s.Provider == provider);
            var guide = guides.FirstOrDefault(g => g.Provider == provider);
            var url = source is null ? null : $"{root}/webhooks/{source.Provider}";
            var last = source is null ? null : (await inbox.PageAsync(new InboxFilter(provider, null, null, null), null, 1, ct)).FirstOrDefault();
            var (failures, noSecret) = refusals.Last24Hours(provider);
            list.Add(new ProviderConnection(
                provider,
                guide?.DisplayName ?? source!.DisplayName,
                url,
                source?.SecretKey,
                !string.IsNullOrWhiteSpace(source?.Secret),
                last,
                failures,
                noSecret,
                guide?.CredentialKey,
                guide?.CredentialSet(services) ?? false,
                guide?.CredentialUse,
                guide?.NextStep(url),
                UsedBy(provider),
                _tests.GetValueOrDefault(provider),
                logs.Any(l => l.Provider == provider) ? recovered.GetValueOrDefault(provider) : null));
        }

        return list;
    }

    /// <summary>Runs the provider's <c>config</c> probe now and keeps its answer for the page; false for an unknown provider.</summary>
    public async Task<bool> TestAsync(string provider, CancellationToken ct)
    {
        if (!Providers.Contains(provider, StringComparer.Ordinal))
        {
            return false;
        }

        var results = new List<ProbeResult>();
        foreach (var probe in probes)
        {
            try
            {
                results.AddRange((await probe.ProbeAsync(ct)).Where(r => r.Area == provider));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // A probe that throws (a timeout its own catch missed) is an answer too: the service could not be asked.
                results.Add(new ProbeResult(provider, "connection", false, $"the test could not finish: {ex.GetType().Name}: {ex.Message}"));
            }
        }

        _tests[provider] = new ConnectionTest(clock.GetUtcNow(), results);
        return true;
    }

    /// <summary>
    /// The providers a check of the stack needs and cannot use: a check that says its credential is missing, or a
    /// check a webhook could prove whose provider has neither a webhook secret nor a credential. Empty when all is set.
    /// </summary>
    public IReadOnlyList<string> Missing(StackReport report)
    {
        var missing = new List<string>();
        foreach (var provider in Providers)
        {
            var checks = report.Micromasteries.SelectMany(m => m.Checks).Where(c => BelongsTo(c.Type, provider)).ToList();
            if (checks.Count == 0)
            {
                continue;
            }

            var source = sources.FirstOrDefault(s => s.Provider == provider);
            var guide = guides.FirstOrDefault(g => g.Provider == provider);
            var secretSet = !string.IsNullOrWhiteSpace(source?.Secret);
            var credentialSet = guide?.CredentialSet(services) ?? false;
            if (checks.Any(c => c.State is CheckStates.NotConfigured)
                || (!secretSet && !credentialSet && checks.Any(c => types.Find(c.Type)?.WebhooksCanSatisfy == true)))
            {
                missing.Add(guide?.DisplayName ?? source?.DisplayName ?? provider);
            }
        }

        return missing;
    }

    private IReadOnlyList<string> UsedBy(string provider) =>
        [.. stack.Current.Micromasteries.SelectMany(m => m.Checks.Where(c => BelongsTo(c.Type, provider)).Select(c => $"{m.Slug} ({c.Type})"))];

    // Check types are named after their service ("stripe.test-payment"); the provider modules will say it outright.
    private static bool BelongsTo(string checkType, string provider) => checkType.StartsWith(provider + ".", StringComparison.Ordinal);
}
