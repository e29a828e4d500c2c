using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Micromastery.Hub.Ui;

/// <summary>
/// Markdig, configured once for every draft and case study the hub shows: tables and emphasis extras, raw HTML
/// as text (a draft is rendered from evidence outside services supplied), and only http(s) link targets
/// (<see cref="WebLink"/>): any other link keeps its text and loses its target.
/// </summary>
internal static class HubMarkdown
{
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().DisableHtml().Build();

    public static MarkdownDocument Parse(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!WebLink.IsHttp(link.Url))
            {
                Unwrap(link);
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!WebLink.IsHttp(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }

        return document;
    }

    public static string ToHtml(string markdown) => Render(Parse(markdown));

    public static string Render(MarkdownDocument document)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        // A six-column table is wider than a phone: it scrolls in its own box (focusable, named) and the page never
        // does. Raw HTML is disabled, so every "<table>" here is one Markdig wrote.
        return writer.ToString()
            .Replace("<table>", """<div class="table-scroll" tabindex="0" role="region" aria-label="Table, scrolls sideways"><table>""", StringComparison.Ordinal)
            .Replace("</table>", "</table></div>", StringComparison.Ordinal);
    }

    /// <summary>Replaces a link by its text.</summary>
    public static void Unwrap(LinkInline link)
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
