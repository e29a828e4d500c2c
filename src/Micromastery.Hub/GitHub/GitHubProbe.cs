using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.GitHub;

/// <summary>Token set and accepted (GET /rate_limit, which costs no rate limit); webhook secret set.</summary>
internal sealed class GitHubProbe(IOptionsMonitor<GitHubOptions> options, GitHubApi api) : IConfigurationProbe
{
    public async Task<IReadOnlyList<ProbeResult>> ProbeAsync(CancellationToken cancellationToken)
    {
        var results = new List<ProbeResult>();
        try
        {
            var core = await api.RateLimitAsync();
            results.Add(new ProbeResult("github", "GitHub:Token", true, $"accepted; {core.Remaining}/{core.Limit} requests left until {core.Reset:u}"));
        }
        catch (CheckNotConfiguredException ex)
        {
            results.Add(new ProbeResult("github", "GitHub:Token", false, ex.Message));
        }
        catch (Exception ex) when (ex is Octokit.ApiException or HttpRequestException or TaskCanceledException or CheckUnavailableException)
        {
            results.Add(new ProbeResult("github", "GitHub:Token", false, $"set, but the call failed: {ex.GetType().Name}"));
        }

        results.Add(string.IsNullOrWhiteSpace(options.CurrentValue.WebhookSecret)
            ? new ProbeResult("github", "GitHub:WebhookSecret", false, "not set: POST /webhooks/github answers 503 until it is")
            : new ProbeResult("github", "GitHub:WebhookSecret", true, "set"));
        return results;
    }
}
