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
}
