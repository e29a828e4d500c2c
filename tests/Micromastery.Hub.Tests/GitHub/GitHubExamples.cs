using System.Text.Json.Nodes;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>
/// GitHub's published webhook examples (@octokit/webhooks-examples, installed by the test build): every
/// event type with real payloads, the way octokit/webhooks.net tests its parsers.
/// </summary>
public static class GitHubExamples
{
    private static readonly Lazy<IReadOnlyList<(string Event, string Body)>> Loaded = new(Load);

    public static IReadOnlyList<(string Event, string Body)> All => Loaded.Value;

    /// <summary>Each example by its event name and index, for theories (the body is looked up by index).</summary>
    public static TheoryData<string, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int>();
            for (var i = 0; i < All.Count; i++)
            {
                data.Add(All[i].Event, i);
            }

            return data;
        }
    }

    private static IReadOnlyList<(string, string)> Load()
    {
        var path = Path.Combine(RepositoryFiles.Root(), "node_modules", "@octokit", "webhooks-examples", "api.github.com", "index.json");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run 'npm ci' at the repository root (the test build does).");
        }

        var events = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        return [.. from e in events
                   from example in e!["examples"]!.AsArray()
                   select (e["name"]!.GetValue<string>(), example!.ToJsonString())];
    }
}
