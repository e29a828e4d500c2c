using System.Security.Cryptography;
using System.Text;

namespace Micromastery.Hub.Webhooks;

/// <summary>HMAC-SHA256 signatures sent as hex (GitHub's and Cal.com's scheme), compared in constant time.</summary>
public static class HmacSignature
{
    public static string ComputeHex(string secret, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool Matches(string secret, byte[] body, string hex)
    {
        if (hex.Length != 64)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>True when the body parses as one JSON object (checked before storing, after the signature).</summary>
    public static bool IsJsonObject(byte[] body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
