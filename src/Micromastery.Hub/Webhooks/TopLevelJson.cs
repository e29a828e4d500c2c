using System.Text.Json;

namespace Micromastery.Hub.Webhooks;

/// <summary>Where a top-level property's value sits in a delivery's body; <see cref="JsonTokenType.None"/> when the property is absent.</summary>
internal readonly record struct JsonValueAt(JsonTokenType Type, int Start, int End)
{
    public bool IsString => Type == JsonTokenType.String;

    public bool IsObject => Type == JsonTokenType.StartObject;

    /// <summary>
    /// The string value, unescaped, exactly as <see cref="JsonElement.GetString"/> gives it — including its
    /// <see cref="InvalidOperationException"/> for a value that is not valid UTF-8 or escapes half a surrogate pair.
    /// </summary>
    public string GetString(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json[Start..End]);
        reader.Read();
        return reader.GetString()!;
    }
}

/// <summary>
/// Reads the top-level properties of a webhook body in one forward pass, without building a
/// <see cref="JsonDocument"/>: nested objects and arrays are skipped (still validated), so an <c>id</c> inside
/// <c>data.object</c> is never taken for the event's. The body must be what <c>JsonDocument.Parse</c> accepts
/// with its default options — one JSON value, nothing after it, no comments, no trailing commas, at most 64
/// levels deep — and an object. A property given twice counts by its last value, as
/// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> reads it.
/// </summary>
internal static class TopLevelJson
{
    /// <summary>
    /// True when <paramref name="json"/> is one JSON object; then <paramref name="found"/>[i] tells where the
    /// value of the property named <paramref name="names"/>[i] sits (<see cref="JsonTokenType.None"/> when absent).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> json, ReadOnlySpan<byte[]> names, Span<JsonValueAt> found)
    {
        found.Clear();
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = -1;
                for (var i = 0; i < names.Length; i++)
                {
                    // Compares the unescaped name: "\u0069d" is "id".
                    if (reader.ValueTextEquals(names[i]))
                    {
                        match = i;
                        break;
                    }
                }

                reader.Read();
                if (match >= 0)
                {
                    found[match] = new JsonValueAt(reader.TokenType, (int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }

            // The root object has ended: only whitespace may follow (anything else throws).
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>True when the bytes are one JSON object.</summary>
    public static bool IsObject(ReadOnlySpan<byte> json) => TryRead(json, [], []);
}
