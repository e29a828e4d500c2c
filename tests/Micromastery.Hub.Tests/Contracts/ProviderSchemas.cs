using System.Text;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Micromastery.Hub.Tests.Contracts;

/// <summary>
/// The providers' published schemas, vendored under Contracts/Schemas (see its README), each one JSON Schema
/// document whose <c>$defs</c> name the shapes a fixture can stand for.
/// </summary>
public static class ProviderSchemas
{
    private const string BaseUri = "https://micromastery-hub.invalid/contracts/";

    private static readonly Lazy<EvaluationOptions> Options = new(() =>
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };
        foreach (var file in Directory.GetFiles(Folder, "*.json"))
        {
            options.SchemaRegistry.Register(JsonSchema.FromFile(file));
        }

        return options;
    });

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Contracts", "Schemas");

    /// <summary>Validates <paramref name="instance"/> against <c>$defs/<paramref name="shape"/></c> of the vendored <paramref name="document"/>; the problems found, empty when it conforms.</summary>
    public static IReadOnlyList<string> Problems(JsonNode? instance, string document, string shape)
    {
        var schema = JsonSchema.FromText(
            $$"""{"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "{{BaseUri}}{{document}}.json#/$defs/{{shape}}"}""");

        var results = schema.Evaluate(instance, Options.Value);

        if (results.IsValid)
        {
            return [];
        }

        var problems = new List<string>();
        Collect(results, problems);
        return problems.Distinct().ToList();
    }

    /// <summary>Errors of failing nodes only: a branch of an anyOf that another branch satisfied is no problem.</summary>
    private static void Collect(EvaluationResults node, List<string> problems)
    {
        if (node.IsValid)
        {
            return;
        }

        if (node.HasErrors)
        {
            problems.AddRange(node.Errors!.Select(e => $"{Pointer(node)}: {e.Key}: {e.Value} (schema {node.EvaluationPath})"));
        }

        foreach (var child in node.Details)
        {
            Collect(child, problems);
        }
    }

    private static string Pointer(EvaluationResults result)
    {
        var pointer = result.InstanceLocation.ToString();
        return pointer.Length == 0 ? "/" : pointer;
    }

    /// <summary>A failure message naming the fixture and its first problems.</summary>
    public static string Describe(string fixture, string document, string shape, IReadOnlyList<string> problems)
    {
        var message = new StringBuilder($"{fixture} does not match {document}.json#/$defs/{shape} ({problems.Count} problems):");
        foreach (var problem in problems.Take(20))
        {
            message.Append("\n  ").Append(problem);
        }

        return message.ToString();
    }
}
