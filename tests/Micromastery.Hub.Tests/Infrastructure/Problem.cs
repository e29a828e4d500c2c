using System.Text.Json.Nodes;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>Reads an error answer as RFC 9457 ProblemDetails, asserting its content type and its members.</summary>
public static class Problem
{
    public const string ContentType = "application/problem+json";

    /// <summary>The problem's JSON, after asserting <c>application/problem+json</c>, a <c>type</c>, a <c>title</c> and the response's <c>status</c>.</summary>
    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(ContentType, response.Content.Headers.ContentType?.MediaType);
        var problem = Assert.IsType<JsonObject>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        Assert.False(string.IsNullOrEmpty(problem["type"]?.GetValue<string>()), "a problem has a type");
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()), "a problem has a title");
        Assert.Equal((int)response.StatusCode, problem["status"]?.GetValue<int>());
        Assert.Null(problem["error"]);
        return problem;
    }

    /// <summary>The problem's <c>detail</c>.</summary>
    public static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await ReadAsync(response))["detail"]!.GetValue<string>();

    /// <summary>The messages of a validation problem, per field (the JSON request field's name).</summary>
    public static async Task<Dictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        var errors = Assert.IsType<JsonObject>((await ReadAsync(response))["errors"]);
        return errors.ToDictionary(e => e.Key, e => e.Value!.AsArray().Select(m => m!.GetValue<string>()).ToArray());
    }
}
