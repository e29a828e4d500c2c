using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>
/// Every error an API caller can get is RFC 9457 ProblemDetails: each registered <c>/api</c> and webhook endpoint is
/// walked with bad input (unknown slugs and ids, a malformed JSON body, unreadable query values) and every error answer
/// must be <c>application/problem+json</c> with <c>type</c>, <c>title</c> and <c>status</c>. An endpoint added later that
/// answers an error its own way fails here.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed partial class ProblemAnswerTests
{
    private const string BadQuery = "?limit=0&before=x&week=nope&from=nope&to=nope&retryFailed=maybe&format=x";

    [Fact]
    public async Task EveryApiAndWebhookEndpoint_AnswersBadInputWithProblemDetails()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(AccessHub.Settings);
        var owner = Visitor.OwnerOnThisMachine(factory.Server);
        var requests = EndpointWalkTests.Requests(factory.Services)
            .Where(r => r.Name.Contains(" /api/", StringComparison.Ordinal) || r.Name.Contains(" /webhooks/", StringComparison.Ordinal))
            .Select(r => (r.Method, Path: BadPath(r.Name[(r.Method.Length + 1)..]), r.Name))
            .ToList();

        var wrong = new List<string>();
        var answeredOk = new List<string>();
        foreach (var (method, path, name) in requests)
        {
            var body = method is "POST" or "PUT" or "PATCH" ? "{" : null;
            var answer = await owner.SendAsync(method, path + BadQuery, "application/json", "application/json", body);
            if (answer.Status < 400)
            {
                answeredOk.Add($"{name}: {answer.Status}");
                continue;
            }

            if (ProblemOf(answer) is { } why)
            {
                wrong.Add($"{method} {path} ({name}): {answer.Status} {why}: {answer.Body}");
            }
        }

        Assert.True(requests.Count >= 25, $"only {requests.Count} API and webhook endpoints walked");
        Assert.Empty(wrong);
        // Reads without input may answer 200; everything that takes a slug, an id or a body refuses this input.
        Assert.True(answeredOk.Count <= requests.Count / 4, "too few endpoints refused the bad input:\n" + string.Join("\n", answeredOk));
    }

    [Fact]
    public async Task AccessRefusalsAndUnknownRoutes_AreProblemDetails()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(AccessHub.Settings);
        var owner = Visitor.OwnerOnThisMachine(factory.Server);

        var stranger = await Visitor.StrangerThroughProxy(factory.Server).GetAsync("/api/stack");
        var crossSite = await owner.SendAsync("POST", "/api/practice", "application/json", "application/json", "{}", ("Sec-Fetch-Site", "cross-site"));
        var formToApi = await owner.SendAsync("POST", "/api/practice", "application/json", "application/x-www-form-urlencoded", "slug=x");
        var unknown = await owner.GetAsync("/api/no-such-thing");

        Assert.Equal((StatusCodes.Status401Unauthorized, null), (stranger.Status, ProblemOf(stranger)));
        Assert.Equal((StatusCodes.Status403Forbidden, null), (crossSite.Status, ProblemOf(crossSite)));
        Assert.InRange(formToApi.Status, 400, 499);
        Assert.Null(ProblemOf(formToApi));
        Assert.Equal((StatusCodes.Status404NotFound, null), (unknown.Status, ProblemOf(unknown)));
    }

    [Fact]
    public async Task BadFieldsOfAJsonBody_AreAValidationProblemNamingEachField()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(AccessHub.Settings);
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/api/practice",
            new StringContent("""{"slug":"stripe-payment-link","minutes":0}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await Problem.ErrorsAsync(response);
        Assert.Equal(["minutes"], errors.Keys);
        Assert.NotEmpty(errors["minutes"][0]);
    }

    /// <summary>
    /// The evidence and draft endpoints turn what their services refuse into answers (the rules themselves are in
    /// <c>Payoffs/InputBoundsTests</c>, <c>EvidencePagingTests</c> and <c>RepeatabilityHostTests</c>): a field the
    /// service names is a validation problem on that field, a slug it does not know (cased differently too) is 404.
    /// </summary>
    [Fact]
    public async Task EvidenceAndDraftEndpoints_AnswerARefusedFieldWithItsNameAndAnUnknownSlugWith404()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, """
            timeZone: UTC
            micromasteries:
              - slug: omelette
                name: A perfect omelette
                layer: physical
                started: 2026-11-01
                checks:
                  - type: manual
            """);
        var factory = hub.Start(AccessHub.Settings);
        using var client = factory.CreateClient();
        async Task<string[]> FieldsAsync(HttpResponseMessage response)
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            return [.. (await Problem.ErrorsAsync(response)).Keys];
        }

        async Task NotFoundAsync(HttpResponseMessage response)
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
            await Problem.ReadAsync(response);
        }

        Assert.Equal(["before"], await FieldsAsync(await client.GetAsync("/api/micromasteries/omelette/evidence?before=not-a-cursor")));
        Assert.Equal(["limit"], await FieldsAsync(await client.GetAsync("/api/micromasteries/omelette/evidence?limit=0")));
        Assert.Equal(["limit"], await FieldsAsync(await client.GetAsync("/api/micromasteries/omelette/evidence?limit=201")));
        await NotFoundAsync(await client.GetAsync("/api/micromasteries/Omelette/evidence"));
        Assert.Equal(["note"], await FieldsAsync(await PostJsonAsync(client, "/api/micromasteries/omelette/evidence", $$"""{"note":"{{new string('n', 2001)}}"}""")));
        Assert.Equal(["context"], await FieldsAsync(await PostJsonAsync(client, "/api/micromasteries/omelette/evidence", $$"""{"note":"x","context":"{{new string('c', 201)}}"}""")));
        await NotFoundAsync(await PostJsonAsync(client, "/api/micromasteries/OMELETTE/evidence", """{"note":"three folds"}"""));
        await NotFoundAsync(await client.PostAsync("/api/micromasteries/OMELETTE/drafts", null));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await PostJsonAsync(client, "/api/micromasteries/omelette/evidence", """{"note":"three folds"}""")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await client.PostAsync("/api/micromasteries/omelette/drafts", null)).StatusCode);
    }

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Null when the answer is a well-formed problem; otherwise what is wrong with it.</summary>
    private static string? ProblemOf(Answer answer)
    {
        if (!answer.Headers.ContentType.ToString().StartsWith("application/problem+json", StringComparison.Ordinal))
        {
            return $"content type '{answer.Headers.ContentType}'";
        }

        JsonObject? problem;
        try
        {
            problem = JsonNode.Parse(answer.Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException ex)
        {
            return $"not JSON ({ex.Message})";
        }

        if (problem is null)
        {
            return "not a JSON object";
        }

        if (problem["error"] is not null)
        {
            return "an ad-hoc 'error' member";
        }

        return problem["type"] is null ? "no type"
            : problem["title"] is null ? "no title"
            : problem["status"]?.GetValue<int>() != answer.Status ? "a status other than the response's"
            : null;
    }

    /// <summary>The route with every parameter set to something that does not exist.</summary>
    private static string BadPath(string pattern) =>
        RouteParameter().Replace(pattern, m => m.Groups[1].Value == "slug" ? "no-such-micromastery" : m.Groups[1].Value == "provider" ? "no-such-provider" : "999999");

    [GeneratedRegex(@"\{([a-zA-Z]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
