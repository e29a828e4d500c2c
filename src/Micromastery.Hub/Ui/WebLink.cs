namespace Micromastery.Hub.Ui;

/// <summary>
/// The one rule for what may become a link anywhere the hub writes HTML (pages, feed, drafts, the weekly email):
/// an absolute http(s) URL. Provider data can carry <c>javascript:</c>, <c>data:</c> or stranger schemes, and a
/// mail client has no content security policy to stop them; anything else is shown as text.
/// </summary>
internal static class WebLink
{
    public static bool IsHttp(string? url) =>
        url is { Length: > 0 }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));

    /// <summary><paramref name="url"/> when it may be a link's target, else null.</summary>
    public static string? Http(string? url) => IsHttp(url) ? url : null;
}
