using System.ComponentModel.DataAnnotations;

namespace Micromastery.Hub.Access;

/// <summary>The owner's credentials, for signing in from another machine (the owner on this machine needs none).</summary>
internal sealed class OperatorOptions : IValidatableObject
{
    public const string Section = "Operator";

    /// <summary>The former section, read when <see cref="Section"/> has no user name; kept for one release.</summary>
    public const string LegacySection = "Dashboard";

    /// <summary>Sign-in name; unset = only requests from this machine are the owner.</summary>
    public string? Username { get; set; }

    /// <summary>A hash printed by the <c>hash-password</c> verb; preferred over <see cref="Password"/>.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>The plain password (from user secrets or an environment variable, never a committed file).</summary>
    public string? Password { get; set; }

    /// <summary>True when <see cref="Section"/> was empty and the values came from <see cref="LegacySection"/>.</summary>
    internal bool FromLegacySection { get; set; }

    public bool HasCredentials => !string.IsNullOrEmpty(Username) && (!string.IsNullOrEmpty(PasswordHash) || !string.IsNullOrEmpty(Password));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var section = FromLegacySection ? LegacySection : Section;
        if (!string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(PasswordHash) && string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult($"{section}:Username is set but neither {section}:PasswordHash nor {section}:Password is: set one (the hash-password verb prints a hash)");
        }

        if (string.IsNullOrEmpty(Username) && (!string.IsNullOrEmpty(PasswordHash) || !string.IsNullOrEmpty(Password)))
        {
            yield return new ValidationResult($"{section}:Username is required when a password is set");
        }

        if (!string.IsNullOrEmpty(PasswordHash) && !OwnerPassword.IsHash(PasswordHash))
        {
            yield return new ValidationResult($"{section}:PasswordHash is not a hash printed by the hash-password verb");
        }
    }
}

/// <summary>Which reverse proxies may speak for the client (their forwarding headers are honoured; anyone else's are ignored).</summary>
internal sealed class AccessOptions
{
    public const string Section = "Access";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>. Loopback is always trusted.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>172.18.0.0/16</c> for a Docker network.</summary>
    public string[] KnownNetworks { get; set; } = [];
}
