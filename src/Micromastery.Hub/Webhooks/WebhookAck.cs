using System.Text.Json;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// The 200 answer to a delivery that was stored or already there, <c>{"id":…,"status":…}</c>: the same
/// status, content type and bytes as <c>Results.Ok(new { id, status })</c> with the app's JSON options,
/// written straight to the response without that result's per-request lookups (options, logger, type info).
/// </summary>
internal sealed class WebhookAck(string id, string status, JsonWriterOptions format) : IResult
{
    /// <summary>How the app's JSON options write: their encoder (which characters are escaped) and indentation.</summary>
    public static JsonWriterOptions FormatOf(JsonSerializerOptions options) => new()
    {
        Encoder = options.Encoder,
        Indented = options.WriteIndented,
        IndentCharacter = options.IndentCharacter,
        IndentSize = options.IndentSize,
        NewLine = options.NewLine,
    };

    public Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, format))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, id);
            writer.WriteString("status"u8, status);
            writer.WriteEndObject();
        }

        return response.BodyWriter.FlushAsync().AsTask();
    }
}
