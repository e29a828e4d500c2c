using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Micromastery.Hub.Webhooks;

/// <summary>HMAC-SHA256 signatures sent as hex (a common webhook scheme), compared in constant time.</summary>
internal static class HmacSignature
{
    private const int MacBytes = HMACSHA256.HashSizeInBytes;

    public static bool Matches(string secret, ReadOnlySpan<byte> body, ReadOnlySpan<char> hex) =>
        Matches(Encoding.UTF8.GetBytes(secret), body, hex);

    /// <summary>As <see cref="Matches(string, ReadOnlySpan{byte}, ReadOnlySpan{char})"/> with the secret's UTF-8 bytes (see <see cref="SecretBytes"/>); allocates nothing.</summary>
    public static bool Matches(ReadOnlySpan<byte> key, ReadOnlySpan<byte> body, ReadOnlySpan<char> hex)
    {
        if (hex.Length != MacBytes * 2)
        {
            return false;
        }

        // Upper- or lower-case hex; anything else is no signature.
        Span<byte> given = stackalloc byte[MacBytes];
        if (Convert.FromHexString(hex, given, out _, out var written) != OperationStatus.Done || written != MacBytes)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MacBytes];
        HMACSHA256.HashData(key, body, mac);
        return CryptographicOperations.FixedTimeEquals(given, mac);
    }
}

/// <summary>
/// A webhook secret's UTF-8 bytes, encoded again only when the secret changes: sources read their secret
/// per delivery (so a reload applies to the next one) and hand it here, which compares it with the last one.
/// </summary>
internal sealed class SecretBytes
{
    private Entry? _last;

    public byte[] Of(string secret)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && (ReferenceEquals(last.Secret, secret) || string.Equals(last.Secret, secret, StringComparison.Ordinal)))
        {
            return last.Bytes;
        }

        var entry = new Entry(secret, Encoding.UTF8.GetBytes(secret));
        Volatile.Write(ref _last, entry);
        return entry.Bytes;
    }

    /// <summary>Immutable, so a reader sees a secret with its own bytes, never another's.</summary>
    private sealed record Entry(string Secret, byte[] Bytes);
}
