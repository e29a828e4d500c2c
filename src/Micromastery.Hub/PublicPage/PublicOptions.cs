namespace Micromastery.Hub.PublicPage;

/// <summary>The public page's settings (section <c>Public</c>).</summary>
internal sealed class PublicOptions
{
    public const string Section = "Public";

    /// <summary>
    /// The address strangers use, e.g. <c>https://hub.example.com</c>: canonical and Open Graph URLs and the
    /// feed's links. Unset: links are built from the request (no canonical or og:url tags).
    /// </summary>
    public string? BaseUrl { get; set; }

    internal static bool IsValid(PublicOptions options) =>
        string.IsNullOrEmpty(options.BaseUrl)
        || (Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment));

    /// <summary>An absolute URL for <paramref name="path"/>, or null without a base URL.</summary>
    public string? Absolute(string path) => string.IsNullOrEmpty(BaseUrl) ? null : BaseUrl.TrimEnd('/') + path;
}
