using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Micromastery.Hub.Tests.Stripe;

/// <summary>
/// Stripe events built from Stripe's published fixture objects (stripe-mock's fixtures3.json), in the
/// envelope Stripe sends, at the API version the hub's Stripe.net pins.
/// </summary>
public static class StripeEvents
{
    public const string ApiVersion = "2026-10-28.endive";

    /// <summary>A published fixture object, dated now: the hub dates evidence by the object's own <c>created</c>, and the fixtures' is 2009.</summary>
    public static JsonObject Fixture(string name)
    {
        var fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "stripe", name + ".json")))!.AsObject();
        if (fixture.ContainsKey("created"))
        {
            fixture["created"] = Seconds(null);
        }

        return fixture;
    }

    /// <summary>A test-mode PaymentIntent that succeeded: the seed's "real test payment captured".</summary>
    public static string PaymentIntentSucceeded(string? eventId = null, string? paymentIntentId = null, long amount = 1900, bool livemode = false, DateTimeOffset? created = null)
    {
        var pi = Fixture("payment_intent");
        if (created is not null)
        {
            pi["created"] = Seconds(created);
        }
        pi["id"] = paymentIntentId ?? NewId("pi_");
        pi["status"] = "succeeded";
        pi["amount"] = amount;
        pi["amount_received"] = amount;
        pi["livemode"] = livemode;
        return Envelope("payment_intent.succeeded", pi, eventId, livemode);
    }

    public static string ChargeSucceeded(string paymentIntentId, bool captured = true, string? eventId = null, DateTimeOffset? created = null)
    {
        var charge = Fixture("charge");
        if (created is not null)
        {
            charge["created"] = Seconds(created);
        }
        charge["id"] = NewId("ch_");
        charge["payment_intent"] = paymentIntentId;
        charge["captured"] = captured;
        charge["amount_captured"] = captured ? charge["amount"]!.GetValue<long>() : 0;
        return Envelope("charge.succeeded", charge, eventId);
    }

    /// <summary>A refund of the payment's charge: full when <paramref name="amountRefunded"/> is the whole amount.</summary>
    public static string ChargeRefunded(string paymentIntentId, long amountRefunded, string? eventId = null)
    {
        var charge = Fixture("charge");
        charge["id"] = NewId("ch_");
        charge["payment_intent"] = paymentIntentId;
        charge["amount_refunded"] = amountRefunded;
        charge["refunded"] = amountRefunded >= charge["amount"]!.GetValue<long>();
        return Envelope("charge.refunded", charge, eventId);
    }

    public static string PaymentIntentCanceled(string paymentIntentId)
    {
        var pi = Fixture("payment_intent");
        pi["id"] = paymentIntentId;
        pi["status"] = "canceled";
        pi["livemode"] = false;
        return Envelope("payment_intent.canceled", pi);
    }

    /// <summary>A completed Checkout Session, as a Payment Link payment ends: a paid one always carries its total and currency.</summary>
    public static string CheckoutSessionCompleted(string paymentStatus = "paid", string? paymentIntentId = null, string? paymentLink = null, string? eventId = null, DateTimeOffset? created = null,
        long amount = 1900, string currency = "usd")
    {
        var session = Fixture("checkout_session");
        if (created is not null)
        {
            session["created"] = Seconds(created);
        }
        session["status"] = "complete";
        session["payment_status"] = paymentStatus;
        session["payment_intent"] = paymentIntentId ?? NewId("pi_");
        session["payment_link"] = paymentLink;
        session["amount_subtotal"] = amount;
        session["amount_total"] = amount;
        session["currency"] = currency;
        session["total_details"] = new JsonObject { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = 0 };
        return Envelope("checkout.session.completed", session, eventId);
    }

    public static string Envelope(string type, JsonObject dataObject, string? eventId = null, bool livemode = false)
    {
        var envelope = new JsonObject
        {
            ["id"] = eventId ?? NewId("evt_"),
            ["object"] = "event",
            ["api_version"] = ApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["data"] = new JsonObject { ["object"] = dataObject },
            ["livemode"] = livemode,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = "req_" + Guid.NewGuid().ToString("N")[..14], ["idempotency_key"] = Guid.NewGuid().ToString() },
            ["type"] = type,
        };
        return envelope.ToJsonString();
    }

    /// <summary>The object's own creation time (what the hub dates evidence by): now unless a test says otherwise.</summary>
    public static long Seconds(DateTimeOffset? created) => (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();

    public static string NewId(string prefix) => prefix + "3Q" + Guid.NewGuid().ToString("N")[..22];

    /// <summary>
    /// The <c>Stripe-Signature</c> header, computed here with plain HMAC-SHA256 (not Stripe.net, which
    /// the hub uses to verify), so the test checks the hub against an independent implementation.
    /// </summary>
    public static string Sign(string body, string secret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
