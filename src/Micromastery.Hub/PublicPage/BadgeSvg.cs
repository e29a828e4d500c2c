using System.Globalization;
using System.Security;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// A badge drawn the way shields.io draws its "flat" style: a 20 px high pill, the label on #555 at left,
/// the message on the state's color at right, Verdana 11 px text with a 5 px margin each side and a shadow.
/// </summary>
internal static class BadgeSvg
{
    public const string LabelColor = "#555";
    public const string Verified = "#4c1";
    public const string Pending = "#dfb317";
    public const string Unknown = "#9f9f9f";

    /// <summary>shields.io's red: the source no longer confirms the evidence of a verified payoff.</summary>
    public const string Disputed = "#e05d44";

    /// <summary>Space each side of a text, in px.</summary>
    public const int Padding = 5;

    public static string ColorOf(string payoff) => payoff switch
    {
        PayoffStates.Verified => Verified,
        PayoffStates.Pending => Pending,
        PayoffStates.Disputed => Disputed,
        _ => Unknown,
    };

    public static string Render(string label, string message, string color)
    {
        var labelText = TextWidth(label);
        var messageText = TextWidth(message);
        var left = labelText + (2 * Padding);
        var right = messageText + (2 * Padding);
        var width = left + right;
        var accessible = Escape($"{label}: {message}");
        return string.Create(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{accessible}"><title>{accessible}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{left}" height="20" fill="{LabelColor}"/><rect x="{left}" width="{right}" height="20" fill="{color}"/><rect width="{width}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">{Text(label, left * 5, labelText)}{Text(message, (left * 10) + (right * 5), messageText)}</g></svg>""");
    }

    /// <summary>A text and its shadow, at ten times scale as shields writes them (x is the centre).</summary>
    private static string Text(string text, int x, int width)
    {
        var escaped = Escape(text);
        return string.Create(CultureInfo.InvariantCulture,
            $"""<text aria-hidden="true" x="{x}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="{width * 10}">{escaped}</text><text x="{x}" y="140" transform="scale(.1)" fill="#fff" textLength="{width * 10}">{escaped}</text>""");
    }

    /// <summary>Text and attribute values: &amp;, &lt;, &gt;, quotes and apostrophes escaped.</summary>
    public static string Escape(string text) => SecurityElement.Escape(text);

    /// <summary>Width in px of <paramref name="text"/> in Verdana 11 px (per-character advances, rounded up), as shields measures.</summary>
    public static int TextWidth(string text) => (int)Math.Ceiling(text.Sum(Advance));

    private static double Advance(char c) => c switch
    {
        ' ' => 3.87,
        'i' or 'l' or 'j' or '\'' or '.' or ',' or ':' or ';' or '|' or '!' => 3.0,
        'f' or 't' or 'I' or '(' or ')' or '[' or ']' or '-' => 4.3,
        'r' => 4.7,
        'c' or 's' or 'z' => 5.73,
        'k' or 'v' or 'x' or 'y' => 6.45,
        'm' => 10.7,
        'w' => 9.0,
        'M' => 8.63,
        'W' => 10.9,
        >= 'A' and <= 'Z' => 7.5,
        >= '0' and <= '9' => 7.0,
        >= 'a' and <= 'z' => 6.8,
        _ when char.IsLowSurrogate(c) => 0,
        _ => 7.5,
    };
}
