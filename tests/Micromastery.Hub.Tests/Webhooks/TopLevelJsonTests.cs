using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// The providers read a delivery's identity from its top-level fields in one pass (<see cref="TopLevelJson"/>)
/// instead of a <see cref="JsonDocument"/>. Each decides exactly as the document did: checked here against the
/// document-based rules they replaced, on chosen edges and on thousands of generated bodies.
/// </summary>
public sealed class TopLevelJsonTests
{
    [Theory]
    [InlineData("""{"data":{"object":{"id":"pi_nested","type":"nested"}},"id":"evt_top","type":"payment_intent.succeeded"}""", "evt_top", "payment_intent.succeeded")]
    [InlineData("""{"data":[{"id":"in_array"}],"id":"evt_top","type":"t"}""", "evt_top", "t")]
    [InlineData("""{"id":"evt_first","type":"t","id":"evt_last"}""", "evt_last", "t")]
    [InlineData("""{"\u0069d":"evt_\u0041\n\"q\"","type":"a\/b"}""", "evt_A\n\"q\"", "a/b")]
    [InlineData("""{"id":"evt_\ud83d\ude00","type":"t"}""", "evt_\U0001F600", "t")]
    [InlineData(" \r\n\t{\"id\":\"evt_ws\",\"type\":\"t\"} \r\n\t", "evt_ws", "t")]
    public void Stripe_TakesTheTopLevelIdAndType_TheLastOfDuplicates_Unescaped(string body, string id, string type)
    {
        Assert.Equal(new WebhookCheck.Accepted(id, type), new WebhookDelivery("stripe", body).CheckedBy(TestWebhookSources.Stripe()));
        Assert.Equal(StripeByDocument(Encoding.UTF8.GetBytes(body)), Outcome(() => new WebhookDelivery("stripe", body).CheckedBy(TestWebhookSources.Stripe())));
    }

    [Theory]
    [InlineData("""{"data":{"id":"evt_nested","type":"nested"}}""")]
    [InlineData("""{"data":{"id":"evt_nested"},"type":"t"}""")]
    [InlineData("""{"id":"evt_1","type":"t","id":42}""")]
    [InlineData("""{"id":"evt_1","type":"t","type":null}""")]
    [InlineData("""{"id":"","type":"t"}""")]
    [InlineData("""{"id":"evt_1","type":"t"} {}""")]
    [InlineData("""{"id":"evt_1","type":"t",}""")]
    [InlineData("""{"id":"evt_1","type":"t"/* c */}""")]
    [InlineData("""{"id":"evt_1","type":"t","x":[}""")]
    [InlineData("""[{"id":"evt_1","type":"t"}]""")]
    public void Stripe_RefusesWhatTheDocumentRefused(string body)
    {
        var check = new WebhookDelivery("stripe", body).CheckedBy(TestWebhookSources.Stripe());

        var rejected = Assert.IsType<WebhookCheck.Rejected>(check);
        Assert.Equal("body is not a Stripe event: expected a JSON object with 'id' and 'type'", rejected.Reason);
        Assert.Equal(StripeByDocument(Encoding.UTF8.GetBytes(body)), Outcome(() => check));
    }

    [Theory]
    [InlineData(63, true)]
    [InlineData(64, false)] // the object itself is one level: 65 in all, past JsonDocument's 64
    public void NestingDeeperThanTheDocumentAllowed_IsNotJson(int arrays, bool json)
    {
        var body = $$"""{"deep":{{new string('[', arrays)}}{{new string(']', arrays)}},"id":"evt_1","type":"t"}""";

        Assert.Equal(json, TopLevelJson.IsObject(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(json, new WebhookDelivery("stripe", body).CheckedBy(TestWebhookSources.Stripe()) is WebhookCheck.Accepted);
    }

    [Theory]
    [InlineData("""{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-01-01T00:00:00Z","payload":{"triggerEvent":"NESTED"}}""", true)]
    [InlineData("""{"payload":{"triggerEvent":"BOOKING_CREATED","createdAt":"x"},"createdAt":"x"}""", false)]
    [InlineData("""{"triggerEvent":"BOOKING_CREATED","createdAt":"x","payload":[]}""", false)]
    [InlineData("""{"triggerEvent":"BOOKING_CREATED","createdAt":1,"payload":{}}""", false)]
    [InlineData("""{"triggerEvent":"BOOKING_CREATED","createdAt":"x","payload":{},"payload":null}""", false)]
    [InlineData("""{"triggerEvent":"BOOKING_CREATED","createdAt":"","payload":{}}""", true)]
    public void CalCom_ReadsTheTopLevelFieldsOnly(string body, bool accepted)
    {
        var check = new WebhookDelivery("calcom", body).CheckedBy(TestWebhookSources.CalCom());

        Assert.Equal(accepted, check is WebhookCheck.Accepted);
        Assert.Equal(CalComByDocument(Encoding.UTF8.GetBytes(body)), Outcome(() => check));
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData(" {\"a\":[1,{\"b\":null}]}\n", true)]
    [InlineData("{} {}", false)]
    [InlineData("{\"a\":1", false)]
    [InlineData("[]", false)]
    [InlineData("\"{}\"", false)]
    [InlineData("", false)]
    public void IsObject_AsTheDocumentSaid(string body, bool isObject)
    {
        Assert.Equal(isObject, TopLevelJson.IsObject(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(isObject, IsObjectByDocument(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void BytesThatAreNotUtf8_AreJudgedAsTheDocumentJudgedThem()
    {
        // Outside strings a byte that is not UTF-8 is not JSON; inside one the document parsed and only GetString threw.
        foreach (var (template, hole) in new[]
                 {
                     ("""{"id":"evt_?","type":"t"}""", "id"), ("""{"id":"evt_1","type":"?"}""", "type"), ("""{"id":"evt_1","type":"t","note":"?"}""", "other"),
                     ("""{"id":"evt_1","type":"t"}?""", "after"), ("""{"i?":"evt_1","id":"evt_2","type":"t"}""", "name"),
                     ("""{"id":"evt_?","id":"evt_2","type":"t"}""", "overridden"),
                 })
        {
            foreach (var bad in new byte[][] { [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82] })
            {
                var bytes = Encoding.UTF8.GetBytes(template);
                var at = Array.IndexOf(bytes, (byte)'?');
                bytes = [.. bytes[..at], .. bad, .. bytes[(at + 1)..]];

                Assert.True(StripeJson(bytes) == StripeByDocument(bytes, opened: false), $"{hole} {Convert.ToHexString(bad)}: {StripeJson(bytes)} but the document said {StripeByDocument(bytes)}");
                Assert.Equal(IsObjectByDocument(bytes), TopLevelJson.IsObject(bytes));
            }
        }
    }

    [Fact]
    public void GeneratedBodies_AreJudgedAsTheDocumentJudgedThem()
    {
        var random = new Random(20261130);
        var stripe = TestWebhookSources.Stripe();
        var calcom = TestWebhookSources.CalCom();
        var differences = new List<string>();
        for (var i = 0; i < 3000; i++)
        {
            var body = Mutate(random, Value(random, 0, topLevel: true));
            var bytes = Encoding.UTF8.GetBytes(body);

            var (byStripe, stripeByDocument) = (Outcome(() => new WebhookDelivery("stripe", body).CheckedBy(stripe)), StripeByDocument(bytes));
            var (byCalCom, calComByDocument) = (Outcome(() => new WebhookDelivery("calcom", body).CheckedBy(calcom)), CalComByDocument(bytes));
            var (isObject, isObjectByDocument) = (TopLevelJson.IsObject(bytes), IsObjectByDocument(bytes));
            if (byStripe != stripeByDocument || byCalCom != calComByDocument || isObject != isObjectByDocument)
            {
                differences.Add($"{body}\n  stripe {byStripe} / {stripeByDocument}\n  calcom {byCalCom} / {calComByDocument}\n  object {isObject} / {isObjectByDocument}");
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(5)));
    }

    /// <summary>A JSON value that mostly parses, heavy in the fields the providers read, duplicates and escapes.</summary>
    private static string Value(Random random, int depth, bool topLevel = false)
    {
        string[] names = ["id", "type", "triggerEvent", "createdAt", "payload", "data", "object", "\\u0069d", "typ\\u0065", "x"];
        string[] strings = ["", "evt_1", "payment_intent.succeeded", "BOOKING_CREATED", "2026-11-30T09:00:00Z", "a\\\"b", "\\u00e9t\\u00E9", "\\ud83d\\ude00", "\\ud800", "\\udc00x", "caf\u00e9", "\\n\\t\\/", new string('e', 300)];
        var kind = topLevel && random.Next(6) > 0 ? 0 : random.Next(depth > 3 ? 3 : 5);
        switch (kind)
        {
            case 0:
                var properties = Enumerable.Range(0, random.Next(6)).Select(_ => $"\"{names[random.Next(names.Length)]}\":{Value(random, depth + 1)}");
                return "{" + string.Join(",", properties) + "}";
            case 1:
                return $"\"{strings[random.Next(strings.Length)]}\"";
            case 2:
                return new[] { "1", "-0.5e3", "true", "false", "null" }[random.Next(5)];
            case 3:
                return "[" + string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => Value(random, depth + 1))) + "]";
            default:
                return "{" + $"\"{names[random.Next(names.Length)]}\":{Value(random, depth + 1)}" + "}";
        }
    }

    /// <summary>Sometimes breaks the body the way a bad sender would.</summary>
    private static string Mutate(Random random, string body) => random.Next(12) switch
    {
        0 when body.Length > 1 => body[..random.Next(1, body.Length)],
        1 => body + new[] { " ", "\n", "x", "}", ",", "{}", "/**/" }[random.Next(7)],
        2 => body.Replace("}", ",}", StringComparison.Ordinal),
        3 => " \t" + body,
        _ => body,
    };

    /// <summary>What the opening rules make of a provider's verdict: ids longer than the inbox takes are refused (see <see cref="WebhookOpening"/>).</summary>
    private static Func<WebhookCheck> Opened(Func<WebhookCheck> verify) => () =>
        verify() is WebhookCheck.Accepted accepted && InboxEvent.Problem(accepted.EventId, accepted.EventType) is { } tooLong
            ? new WebhookCheck.Rejected(400, tooLong)
            : verify();

    /// <summary>A check's outcome as text, or the exception it threw.</summary>
    private static string Outcome(Func<WebhookCheck> check)
    {
        try
        {
            return check() switch
            {
                WebhookCheck.Accepted accepted => $"accepted {accepted.EventId} {accepted.EventType}",
                WebhookCheck.Rejected rejected => $"rejected {rejected.StatusCode} {rejected.Reason}",
                _ => "?",
            };
        }
        catch (Exception ex)
        {
            return $"threw {ex.GetType().Name}";
        }
    }

    /// <summary>Stripe's rule on the JSON alone, through the hub's reader (the signature is covered elsewhere).</summary>
    private static string StripeJson(byte[] body) => Outcome(() =>
    {
        Span<JsonValueAt> found = stackalloc JsonValueAt[2];
        return TopLevelJson.TryRead(body, ["id"u8.ToArray(), "type"u8.ToArray()], found)
               && found[0].IsString && found[0].GetString(body) is { Length: > 0 } id
               && found[1].IsString && found[1].GetString(body) is { Length: > 0 } type
            ? new WebhookCheck.Accepted(id, type)
            : new WebhookCheck.Rejected(400, "body is not a Stripe event: expected a JSON object with 'id' and 'type'");
    });

    // The rules as they were written with a JsonDocument, before the request-path work (issue 13).
    private static string StripeByDocument(byte[] body, bool opened = true)
    {
        WebhookCheck Rule()
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } eventId
                    && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is { Length: > 0 } eventType)
                {
                    return new WebhookCheck.Accepted(eventId, eventType);
                }
            }
            catch (JsonException)
            {
            }

            return new WebhookCheck.Rejected(400, "body is not a Stripe event: expected a JSON object with 'id' and 'type'");
        }

        return Outcome(opened ? Opened(Rule) : Rule);
    }

    private static string CalComByDocument(byte[] body)
    {
        WebhookCheck Rule()
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                string? Str(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (Str("triggerEvent") is { Length: > 0 } trigger && Str("createdAt") is not null
                    && root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object)
                {
                    return new WebhookCheck.Accepted(Convert.ToHexStringLower(SHA256.HashData(body)), trigger);
                }
            }
            catch (JsonException)
            {
            }

            return new WebhookCheck.Rejected(400, "body is not a Cal.com webhook: expected JSON with 'triggerEvent', 'createdAt' and 'payload'");
        }

        return Outcome(Opened(Rule));
    }

    private static bool IsObjectByDocument(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
