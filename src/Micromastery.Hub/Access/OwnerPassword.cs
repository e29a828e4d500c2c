using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Access;

/// <summary>
/// Checks a presented user name and password against <see cref="OperatorOptions"/>. Hashes are ASP.NET Core
/// Identity's (PBKDF2, salted); a verified password is remembered by its SHA-256 so an API client sending
/// Basic credentials on every call does not pay the key stretching each time.
/// </summary>
internal sealed class OwnerPassword(IOptionsMonitor<OperatorOptions> options)
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Nobody = new();

    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    public static string Hash(string password) => Hasher.HashPassword(Nobody, password);

    public static bool IsHash(string value)
    {
        try
        {
            var bytes = Convert.FromBase64String(value);
            return bytes.Length > 13 && bytes[0] == 0x01; // Identity's version-3 format marker
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public bool Matches(string username, string password)
    {
        var settings = options.CurrentValue;
        if (!settings.HasCredentials)
        {
            return false;
        }

        var nameMatches = FixedEquals(username, settings.Username!);
        bool passwordMatches;
        if (!string.IsNullOrEmpty(settings.PasswordHash))
        {
            var presented = SHA256.HashData(Encoding.UTF8.GetBytes(password));
            if (_verified.TryGetValue(settings.PasswordHash, out var known))
            {
                passwordMatches = CryptographicOperations.FixedTimeEquals(presented, known);
            }
            else
            {
                passwordMatches = Hasher.VerifyHashedPassword(Nobody, settings.PasswordHash, password) != PasswordVerificationResult.Failed;
                if (passwordMatches)
                {
                    _verified[settings.PasswordHash] = presented;
                }
            }
        }
        else
        {
            passwordMatches = FixedEquals(password, settings.Password!);
        }

        return nameMatches & passwordMatches;
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
