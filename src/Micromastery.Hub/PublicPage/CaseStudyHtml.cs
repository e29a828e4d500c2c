using System.Net;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Micromastery.Hub.Ui;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// Renders a published case study for strangers: Markdown without raw HTML, headings moved one level down
/// (the page owns the h1), private evidence links reduced to their text, evidence ids and private context names replaced.
/// </summary>
internal static class CaseStudyHtml
{
    public const string Redacted = "[private]";

    /// <param name="privateUrls">Evidence links a stranger may not follow.</param>
    /// <param name="privateTexts">Evidence object ids (payment, booking, run ids) and private context names (repositories, products): never shown.</param>
    public static string Render(string markdown, IReadOnlyCollection<string> privateUrls, IReadOnlyCollection<string> privateTexts)
    {
        var ids = privateTexts.Where(id => id.Length >= 4).Distinct().OrderByDescending(id => id.Length).ToList();
        // Non-http(s) link targets are gone already (HubMarkdown); private ones go here.
        var document = HubMarkdown.Parse(markdown);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(heading.Level + 1, 6);
        }

        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            var url = link.Url ?? "";
            if (privateUrls.Contains(url) || ids.Any(id => url.Contains(id, StringComparison.Ordinal)))
            {
                HubMarkdown.Unwrap(link);
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (privateUrls.Contains(autolink.Url) || ids.Any(id => autolink.Url.Contains(id, StringComparison.Ordinal)))
            {
                autolink.ReplaceBy(new LiteralInline(Redacted));
            }
        }

        foreach (var literal in document.Descendants<LiteralInline>())
        {
            var text = literal.Content.ToString();
            var clean = Scrub(text, ids);
            if (!ReferenceEquals(text, clean))
            {
                literal.Content = new Markdig.Helpers.StringSlice(clean);
            }
        }

        foreach (var code in document.Descendants<CodeInline>().ToList())
        {
            var clean = Scrub(code.Content, ids);
            if (!ReferenceEquals(clean, code.Content))
            {
                code.ReplaceBy(new CodeInline(clean) { Delimiter = code.Delimiter, DelimiterCount = code.DelimiterCount });
            }
        }

        // A last pass over the output, for ids in places the tree walk does not reach (code blocks, titles).
        var html = HubMarkdown.Render(document);
        foreach (var secret in privateUrls.Select(u => WebUtility.HtmlEncode(u)).Concat(privateUrls).Concat(ids).Where(s => s.Length > 0))
        {
            html = html.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        return html;
    }

    private static string Scrub(string text, List<string> ids)
    {
        var result = text;
        foreach (var id in ids)
        {
            if (result.Contains(id, StringComparison.Ordinal))
            {
                result = result.Replace(id, Redacted, StringComparison.Ordinal);
            }
        }

        return result;
    }
}
