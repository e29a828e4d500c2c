using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Access;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>
/// Every owner endpoint that changes state, enumerated from the route table (not listed by hand): a form post
/// without a valid antiforgery token — none, or another session's — is refused before its handler runs. And every
/// link on every page the hub serves is http(s) or relative, even when provider data carries <c>javascript:</c>.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed partial class OwnerFormTokenTests
{
    private const string Slug = "stripe-payment-link";
    private const string HostileUrl = "javascript:alert(document.cookie)";

    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - slug: stripe-payment-link
            name: Hostile links
            layer: A
            started: 2026-11-20
            public: true
            checks:
              - type: github.workflow-run
                repo: acme/site
              - type: manual
        """;

    [Fact]
    public async Task EveryOwnerWrite_RefusesAFormWithoutAValidToken()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, Stack);
        var factory = hub.Start(AccessHub.Settings);
        var owner = Visitor.OwnerOnThisMachine(factory.Server);
        var other = Visitor.OwnerOnThisMachine(factory.Server);
        var ownPage = await owner.GetAsync($"/micromasteries/{Slug}", "text/html");
        var othersToken = Visitor.FormToken((await other.GetAsync($"/micromasteries/{Slug}", "text/html")).Body);
        var writes = OwnerWrites(factory.Services).ToList();

        var accepted = new List<string>();
        foreach (var (method, path) in writes)
        {
            var none = await owner.SendAsync(method, path, "text/html", "application/x-www-form-urlencoded", "x=1");
            var foreign = await owner.SendAsync(method, path, "text/html", "application/x-www-form-urlencoded",
                "__RequestVerificationToken=" + Uri.EscapeDataString(othersToken));
            foreach (var (what, answer) in new[] { ("no token", none), ("another session's token", foreign) })
            {
                // A JSON endpoint may be refused a step earlier, by routing (415: it takes JSON only); either way its handler never runs.
                var refused = (answer.Status == StatusCodes.Status400BadRequest && answer.Body.Contains("has expired", StringComparison.Ordinal))
                    || (answer.Status == StatusCodes.Status415UnsupportedMediaType && path.StartsWith("/api/", StringComparison.Ordinal));
                if (!refused)
                {
                    accepted.Add($"{method} {path} with {what}: {answer.Status} {answer.Headers.Location} {answer.Body[..Math.Min(120, answer.Body.Length)]}");
                }
            }
        }

        var withToken = await owner.PostFormAsync($"/micromasteries/{Slug}/drafts/unpublish", [new("__RequestVerificationToken", Visitor.FormToken(ownPage.Body))]);

        Assert.True(writes.Count >= 12, $"only {writes.Count} owner writes enumerated: " + string.Join(", ", writes));
        Assert.Contains(writes, w => w.Path.EndsWith("/drafts/1/publish", StringComparison.Ordinal) && !w.Path.StartsWith("/api/", StringComparison.Ordinal));
        Assert.True(accepted.Count == 0, string.Join("\n", accepted));
        Assert.Equal(StatusCodes.Status302Found, withToken.Status);
    }

    [Fact]
    public async Task EveryPage_LinksOnlyToHttpOrRelativeTargets_WhenProviderDataCarriesJavascriptLinks()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, Stack);
        var factory = hub.Start(AccessHub.Settings);
        var ledger = factory.Services.GetRequiredService<PayoffLedger>();
        await using (var batch = await ledger.BeginAsync(CancellationToken.None))
        {
            await batch.RecordAsync([WorkflowRunObservation.Create(4242, "acme/site", ".github/workflows/ci.yml", "CI", "main", "push", "success",
                DateTimeOffset.UtcNow, HostileUrl, repositoryPrivate: false)], CancellationToken.None);
            await batch.CompleteAsync(CancellationToken.None);
        }

        var owner = Visitor.OwnerOnThisMachine(factory.Server);
        var token = Visitor.FormToken((await owner.GetAsync($"/micromasteries/{Slug}", "text/html")).Body);
        Assert.Equal(StatusCodes.Status302Found, (await owner.PostFormAsync($"/micromasteries/{Slug}/drafts", [new("__RequestVerificationToken", token)])).Status);
        Assert.Equal(StatusCodes.Status302Found, (await owner.PostFormAsync($"/micromasteries/{Slug}/drafts/1/publish", [new("__RequestVerificationToken", token)])).Status);
        var draft = await owner.GetAsync($"/api/micromasteries/{Slug}/drafts/latest", "text/markdown");
        Assert.Contains("github 4242", draft.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("](" + HostileUrl, draft.Body, StringComparison.Ordinal); // shown as text, never a link target

        var pages = PageGets(factory.Services).Append("/api/weekly/preview").Append("/inbox?to=2026-12-01").ToList();
        var bad = new List<string>();
        foreach (var path in pages)
        {
            var answer = await owner.GetAsync(path, "text/html");
            foreach (Match link in LinkTarget().Matches(answer.Body))
            {
                var target = System.Net.WebUtility.HtmlDecode(link.Groups[2].Value);
                if (!IsHttpOrRelative(target))
                {
                    bad.Add($"{path}: {link.Groups[1].Value}=\"{target}\"");
                }
            }
        }

        Assert.True(pages.Count >= 8, "pages: " + string.Join(", ", pages));
        Assert.Empty(bad);
    }

    private static bool IsHttpOrRelative(string target)
    {
        if (target.StartsWith("//", StringComparison.Ordinal) || target.Any(char.IsControl))
        {
            return false;
        }

        var colon = target.IndexOf(':', StringComparison.Ordinal);
        var stop = target.IndexOfAny(['/', '?', '#']);
        return colon < 0 || (stop >= 0 && stop < colon)
            || target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Every state-changing owner route (the dashboard keeps its own, Hangfire-checked, tokens).</summary>
    private static IEnumerable<(string Method, string Path)> OwnerWrites(IServiceProvider services)
    {
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || pattern.StartsWith(AccessSetup.DashboardPath, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                if (method is "POST" or "PUT" or "DELETE" or "PATCH")
                {
                    yield return (method, Concrete(pattern));
                }
            }
        }
    }

    /// <summary>Every page a browser reads (HTML or the feed): GET routes outside the JSON API and the dashboard.</summary>
    private static IEnumerable<string> PageGets(IServiceProvider services)
    {
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            if (methods.Contains("GET") && !pattern.StartsWith("/api/", StringComparison.Ordinal) && !pattern.StartsWith(AccessSetup.DashboardPath, StringComparison.Ordinal)
                && !pattern.Contains("{**", StringComparison.Ordinal))
            {
                yield return Concrete(pattern);
            }
        }
    }

    private static string Concrete(string pattern) =>
        "/" + Parameter().Replace(pattern.TrimStart('/'), m => m.Groups[1].Value == "slug" ? Slug : "1");

    [GeneratedRegex(@"\{([a-zA-Z]+)[^}]*\}")]
    private static partial Regex Parameter();

    [GeneratedRegex("\\s(href|src|action|formaction)=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex LinkTarget();
}
