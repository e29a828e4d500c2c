using System.Net;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;

namespace Micromastery.Hub.GitHub;

/// <summary>
/// GitHub through Octokit: one request per check per poll (20 newest successful runs), conditional on
/// the ETag of the previous answer, over the hub's resilient HTTP handler.
/// </summary>
internal sealed class GitHubApi(IOptionsMonitor<GitHubOptions> options, IHttpMessageHandlerFactory handlers, GitHubResponseCache cache)
{
    public const string HttpClientName = "github";
    private const string Service = "GitHub";

    /// <summary>The newest successful runs created since <paramref name="since"/> (the practice window's start).</summary>
    public async Task<IReadOnlyList<Payoffs.Observation>> SuccessfulRunsAsync(string owner, string name, string? workflowFile, string? branch, string? triggeringEvent, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var client = Client();

        // created=>=…: GitHub's search syntax; the poll never pages through runs from before the practice.
        var created = ">=" + since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var request = new WorkflowRunsRequest { Status = CheckRunStatusFilter.Success, Branch = branch, Event = triggeringEvent, Created = created };
        var page = new ApiOptions { PageSize = 20, PageCount = 1, StartPage = 1 };
        WorkflowRunsResponse response;
        try
        {
            response = workflowFile is null
                ? await client.Actions.Workflows.Runs.List(owner, name, request, page)
                : await client.Actions.Workflows.Runs.ListByWorkflow(owner, name, workflowFile, request, page);
        }
        catch (Exception ex) when (Translate(ex) is { } translated && !cancellationToken.IsCancellationRequested)
        {
            throw translated;
        }

        return response.WorkflowRuns
            .Where(r => r.Conclusion?.StringValue == "success")
            .Select(r => WorkflowRunObservation.Create(r.Id, r.Repository?.FullName ?? $"{owner}/{name}", r.Path, r.Name, r.HeadBranch, r.Event,
                r.Conclusion?.StringValue, r.UpdatedAt, r.HtmlUrl, r.Repository?.Private))
            .ToList();
    }

    /// <summary>What GitHub says now about one run the hub recorded: still there, conclusion success.</summary>
    public async Task<Recheck> RecheckRunAsync(string owner, string name, long runId, CancellationToken cancellationToken)
    {
        var client = Client();
        var id = runId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        WorkflowRun run;
        try
        {
            run = await client.Actions.Workflows.Runs.Get(owner, name, runId);
        }
        catch (NotFoundException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Recheck(WorkflowRunObservation.Source, GitHubWorkflowRunCheck.Name, id, RecheckStates.Gone, "GitHub has no such run (deleted, or the token cannot read it)");
        }
        catch (Exception ex) when (Translate(ex) is { } translated && !cancellationToken.IsCancellationRequested)
        {
            throw translated;
        }

        // A later attempt that did not succeed changes the run; its earlier success stays a fact, so it is not gone.
        var conclusion = run.Conclusion?.StringValue;
        return conclusion == "success"
            ? new Recheck(WorkflowRunObservation.Source, GitHubWorkflowRunCheck.Name, id, RecheckStates.Confirmed, null)
            : new Recheck(WorkflowRunObservation.Source, GitHubWorkflowRunCheck.Name, id, RecheckStates.Changed,
                $"attempt {run.RunAttempt} is {(conclusion ?? run.Status.StringValue)}");
    }

    /// <summary>A cheap authenticated call for the <c>config</c> verb (does not count against the limit).</summary>
    public async Task<Octokit.RateLimit> RateLimitAsync()
    {
        var limits = await Client().RateLimit.GetRateLimits();
        return limits.Resources.Core;
    }

    private GitHubClient Client()
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(settings.Token))
        {
            throw new CheckNotConfiguredException($"{GitHubOptions.Section}:{nameof(GitHubOptions.Token)}");
        }

        var baseUrl = settings.BaseUrl.EndsWith('/') ? settings.BaseUrl : settings.BaseUrl + "/";

        // Connection is built directly so the base URL is used as given (GitHubClient rewrites non-github.com hosts to /api/v3/).
        var connection = new Connection(new ProductHeaderValue("micromastery-hub"), new Uri(baseUrl),
            new InMemoryCredentialStore(new Credentials(settings.Token)),
            new HttpClientAdapter(() => handlers.CreateHandler(HttpClientName)),
            new SimpleJsonSerializer())
        {
            ResponseCache = cache,
        };
        return new GitHubClient(connection);
    }

    /// <summary>Octokit's failures as check outcomes; null for exceptions that are not the service's answer.</summary>
    private static Exception? Translate(Exception exception) => exception switch
    {
        CheckUnavailableException or CheckNotConfiguredException => exception,
        RateLimitExceededException limit => new CheckUnavailableException($"{Service} rate limit spent until {limit.Reset:u}", limit.GetRetryAfterTimeSpan()),
        SecondaryRateLimitExceededException secondary => new CheckUnavailableException($"{Service} secondary rate limit", RetryAfter(secondary) ?? TimeSpan.FromMinutes(1)),
        AuthorizationException => new CheckNotConfiguredException($"{GitHubOptions.Section}:{nameof(GitHubOptions.Token)} (GitHub rejected the token)", rejected: true),
        NotFoundException => new CheckUnavailableException($"{Service}: repository or workflow not found, or the token cannot read it"),
        ApiException api when api.StatusCode == (HttpStatusCode)429 => new CheckUnavailableException($"{Service} answered 429", RetryAfter(api)),
        ApiException api => new CheckUnavailableException($"{Service} answered {(int)api.StatusCode}", RetryAfter(api)),
        HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException => PollingResilience.Unavailable(Service, exception),
        _ => null,
    };

    private static TimeSpan? RetryAfter(ApiException exception) =>
        exception.HttpResponse?.Headers is { } headers
        && headers.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value is { } value
        && int.TryParse(value, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
