using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Micromastery.Hub.WebhookBench;

/// <summary>One signed delivery as its provider sends it: the body's bytes and the provider's headers.</summary>
public sealed record Delivery(string Provider, byte[] Body, (string Name, string Value)[] Headers);

/// <summary>
/// Realistic deliveries built from the tests' recorded payloads: a Stripe <c>payment_intent.succeeded</c>
/// event (about 1.5 KB, as <c>bench/make-stripe-events.py</c> writes them for the load test), a GitHub
/// <c>workflow_run</c> (about 22 KB) and a Cal.com booking (about 1.5 KB), signed with <see cref="Secrets"/>.
/// </summary>
public static class Deliveries
{
    public static readonly string[] Providers = ["stripe", "github", "calcom"];

    public static readonly IReadOnlyDictionary<string, string> Secrets = new Dictionary<string, string>
    {
        ["stripe"] = "whsec_bench_0123456789abcdef0123456789",
        ["github"] = "github-bench-webhook-secret",
        ["calcom"] = "calcom-bench-webhook-secret",
    };

    private static string Fixture(string provider, string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", provider, name));

    /// <summary>Delivery number <paramref name="n"/> of <paramref name="provider"/>: a distinct event (its own id) signed now.</summary>
    public static Delivery Create(string provider, int n)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var secret = Encoding.UTF8.GetBytes(Secrets[provider]);
        switch (provider)
        {
            case "stripe":
            {
                var pi = JsonNode.Parse(Fixture("stripe", "payment_intent.json"))!.AsObject();
                pi["id"] = $"pi_bench{n:D20}";
                pi["status"] = "succeeded";
                pi["amount_received"] = pi["amount"]!.GetValue<long>();
                pi["created"] = now;
                var body = new JsonObject
                {
                    ["id"] = $"evt_bench{n:D20}",
                    ["object"] = "event",
                    ["api_version"] = "2026-10-28.endive",
                    ["created"] = now,
                    ["data"] = new JsonObject { ["object"] = pi },
                    ["livemode"] = false,
                    ["pending_webhooks"] = 1,
                    ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
                    ["type"] = "payment_intent.succeeded",
                }.ToJsonString();
                var t = now.ToString(CultureInfo.InvariantCulture);
                var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{t}.{body}"));
                return new Delivery(provider, Encoding.UTF8.GetBytes(body), [("Stripe-Signature", $"t={t},v1={Convert.ToHexStringLower(mac)}")]);
            }

            case "github":
            {
                var bytes = Encoding.UTF8.GetBytes(Fixture("github", "workflow_run.completed.json"));
                return new Delivery(provider, bytes,
                [
                    ("X-GitHub-Event", "workflow_run"), ("X-GitHub-Delivery", $"bench-{n:D8}-0000-0000-0000-000000000000"), ("X-GitHub-Hook-ID", "292430182"),
                    ("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, bytes))),
                ]);
            }

            case "calcom":
            {
                // Cal.com's event id is the hash of the bytes: a distinct delivery needs distinct bytes.
                var json = JsonNode.Parse(Fixture("calcom", "booking_created.json"))!.AsObject();
                json["payload"]!["uid"] = $"bench{n:D17}";
                var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
                return new Delivery(provider, bytes, [("X-Cal-Signature-256", Convert.ToHexStringLower(HMACSHA256.HashData(secret, bytes)))]);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider");
        }
    }
}
