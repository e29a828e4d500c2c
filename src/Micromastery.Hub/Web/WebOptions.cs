namespace Micromastery.Hub.Web;

public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>
    /// A PEM file of extra root certificates to trust besides the system's (an internal CA; tests).
    /// Public pages need none.
    /// </summary>
    public string? ExtraRootCertificates { get; set; }

    /// <summary>Redirects followed before giving up.</summary>
    public int MaxRedirects { get; set; } = 10;
}
