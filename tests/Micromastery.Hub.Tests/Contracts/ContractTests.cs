using System.Text.Json.Nodes;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Contracts;

/// <summary>
/// Every fixture that stands for a provider's API response or webhook body matches the provider's published
/// schema (vendored under Contracts/Schemas), so a fixture cannot drift from what the service really sends.
/// </summary>
public sealed class ContractTests
{
    private static readonly string[] ProviderFolders = ["stripe", "github", "calcom", "beehiiv", "lemonsqueezy"];

    /// <summary>Fixture (under Fixtures/) → vendored schema document and the shape in its $defs.</summary>
    private static readonly Dictionary<string, (string Document, string Shape)> Contracts = new()
    {
        ["stripe/charge.json"] = ("stripe", "charge"),
        ["stripe/checkout_session.json"] = ("stripe", "checkout.session"),
        ["stripe/event.json"] = ("stripe", "event"),
        ["stripe/payment_intent.json"] = ("stripe", "payment_intent"),
        ["stripe/payment_link.json"] = ("stripe", "payment_link"),
        ["github/workflow-runs.json"] = ("github-rest", "workflow-runs-list"),
        ["calcom/bookings.json"] = ("calcom", "bookings-list"),
        ["calcom/event-types.json"] = ("calcom", "event-types-list"),
        ["lemonsqueezy/order_created.json"] = ("lemonsqueezy", "order-webhook"),
        ["lemonsqueezy/order_refunded.json"] = ("lemonsqueezy", "order-webhook"),
        ["lemonsqueezy/order-paid-api.json"] = ("lemonsqueezy", "order"),
        ["lemonsqueezy/order-refunded-api.json"] = ("lemonsqueezy", "order"),
        ["lemonsqueezy/orders.json"] = ("lemonsqueezy", "orders-list"),
        ["beehiiv/posts.json"] = ("beehiiv", "posts-list"),
        ["beehiiv/subscriptions.json"] = ("beehiiv", "subscriptions-list"),
    };

    /// <summary>Fixtures no published schema describes, each with the reason (Contracts/Schemas/README.md says more).</summary>
    private static readonly Dictionary<string, string> Unpublished = new()
    {
        ["calcom/booking_created.json"] = "Cal.com's OpenAPI describes its API, not its webhook payloads",
    };

    public static TheoryData<string> Fixtures
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var fixture in ProviderFixtures().Where(f => Contract(f) is not null))
            {
                data.Add(fixture);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_MatchesTheProvidersPublishedSchema(string fixture)
    {
        var (document, shape) = Contract(fixture)!.Value;
        var instance = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesFolder, fixture)));

        var problems = ProviderSchemas.Problems(instance, document, shape);

        Assert.True(problems.Count == 0, ProviderSchemas.Describe(fixture, document, shape, problems));
    }

    [Fact]
    public void EveryProviderFixture_HasASchemaOrASaidReason()
    {
        var unaccounted = ProviderFixtures().Where(f => Contract(f) is null && !Unpublished.ContainsKey(f)).ToList();

        Assert.True(unaccounted.Count == 0,
            $"no schema for {string.Join(", ", unaccounted)}: map each in ContractTests (and vendor its schema, see Contracts/Schemas/README.md)");
    }

    /// <summary>The webhook bodies the Stripe tests build from the fixtures, envelope and object, match the published shapes too.</summary>
    public static TheoryData<string> BuiltStripeEvents => ["payment_intent.succeeded", "charge.succeeded", "charge.refunded", "payment_intent.canceled", "checkout.session.completed"];

    [Theory]
    [MemberData(nameof(BuiltStripeEvents))]
    public void BuiltStripeEvent_MatchesTheEventAndObjectSchemas(string type)
    {
        var body = type switch
        {
            "payment_intent.succeeded" => StripeEvents.PaymentIntentSucceeded(),
            "charge.succeeded" => StripeEvents.ChargeSucceeded("pi_3Qcontract"),
            "charge.refunded" => StripeEvents.ChargeRefunded("pi_3Qcontract", 1000),
            "payment_intent.canceled" => StripeEvents.PaymentIntentCanceled("pi_3Qcontract"),
            _ => StripeEvents.CheckoutSessionCompleted(paymentLink: "plink_3Qcontract"),
        };
        var envelope = JsonNode.Parse(body)!;
        var shape = type[..type.LastIndexOf('.')];

        var problems = ProviderSchemas.Problems(envelope, "stripe", "event")
            .Concat(ProviderSchemas.Problems(envelope["data"]!["object"], "stripe", shape).Select(p => "/data/object" + p))
            .ToList();

        Assert.True(problems.Count == 0, ProviderSchemas.Describe($"StripeEvents {type}", "stripe", $"event + {shape}", problems));
    }

    [Fact]
    public void DriftedFixture_FailsNamingWhereAndWhy()
    {
        var charge = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesFolder, "stripe", "charge.json")))!;
        charge["amount"] = "100";

        var problems = ProviderSchemas.Problems(charge, "stripe", "charge");

        Assert.Contains(problems, p => p.StartsWith("/amount: type:", StringComparison.Ordinal));
    }

    private static string FixturesFolder => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private static IEnumerable<string> ProviderFixtures() =>
        ProviderFolders
            .Where(folder => Directory.Exists(Path.Combine(FixturesFolder, folder)))
            .SelectMany(folder => Directory.GetFiles(Path.Combine(FixturesFolder, folder), "*.json"))
            .Select(path => Path.GetRelativePath(FixturesFolder, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static (string Document, string Shape)? Contract(string fixture)
    {
        if (Contracts.TryGetValue(fixture, out var contract))
        {
            return contract;
        }

        // GitHub webhook deliveries are named after their event and action (workflow_run.completed.json), as GitHub's own description names them.
        var name = Path.GetFileNameWithoutExtension(fixture);
        return fixture.StartsWith("github/", StringComparison.Ordinal) && (name.Contains('.', StringComparison.Ordinal) || name == "ping")
            ? ("github-webhooks", name.Replace('_', '-').Replace('.', '-'))
            : null;
    }
}
