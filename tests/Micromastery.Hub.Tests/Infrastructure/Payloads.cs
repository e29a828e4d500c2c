using System.Text.Json.Nodes;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>The committed example payloads under Fixtures/, read as text or as editable JSON.</summary>
public static class Payloads
{
    public static string Text(string service, string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", service, name));

    public static JsonObject Json(string service, string name) => JsonNode.Parse(Text(service, name))!.AsObject();
}
