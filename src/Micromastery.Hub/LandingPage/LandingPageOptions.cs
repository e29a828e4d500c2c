namespace Micromastery.Hub.LandingPage;

/// <summary>How <c>http.page</c> checks fetch a landing page.</summary>
internal sealed class LandingPageOptions
{
    // The configuration section keeps its first name: renaming it would silently drop users' settings.
    public const string Section = "Web";

    /// <summary>
    /// A PEM file of extra root certificates to trust besides the system's (an internal CA; tests).
    /// Public pages need none.
    /// </summary>
    public string? ExtraRootCertificates { get; set; }

    /// <summary>Redirects followed before giving up.</summary>
    public int MaxRedirects { get; set; } = 10;
}
