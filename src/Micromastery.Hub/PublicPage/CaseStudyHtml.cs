using System.Net;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// Renders a published case study for strangers: Markdown without raw HTML, headings moved one level down
/// (the page owns the h1), private evidence links reduced to their text, evidence ids and private context names replaced.
/// </summary>
public static class CaseStudyHtml
{
    public const string Redacted = "[private]";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().DisableHtml().Build();

    /// <param name="privateUrls">Evidence links a stranger may not follow.</param>
    /// <param name="privateTexts">Evidence object ids (payment, booking, run ids) and private context names (repositories, products): never shown.</param>
    public static string Render(string markdown, IReadOnlyCollection<string> privateUrls, IReadOnlyCollection<string> privateTexts)
    {
        var ids = privateTexts.Where(id => id.Length >= 4).Distinct().OrderByDescending(id => id.Length).ToList();
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(heading.Level + 1, 6);
        }

        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            var url = link.Url ?? "";
            if (!IsSafe(url) || privateUrls.Contains(url) || ids.Any(id => url.Contains(id, StringComparison.Ordinal)))
            {
                Unwrap(link);
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!IsSafe(autolink.Url) || privateUrls.Contains(autolink.Url) || ids.Any(id => autolink.Url.Contains(id, StringComparison.Ordinal)))
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

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();

        // A last pass over the output, for ids in places the tree walk does not reach (code blocks, titles).
        var html = writer.ToString();
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

    /// <summary>Only web and mail links; <c>javascript:</c> and <c>data:</c> links become text.</summary>
    private static bool IsSafe(string url) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var uri) ? !url.Contains(':', StringComparison.Ordinal) : uri.Scheme is "https" or "http" or "mailto";

    private static void Unwrap(LinkInline link)
    {
        var child = link.FirstChild;
        while (child is not null)
        {
            var next = child.NextSibling;
            child.Remove();
            link.InsertBefore(child);
            child = next;
        }

        link.Remove();
    }
}
