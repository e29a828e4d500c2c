using System.Globalization;
using System.Xml.Linq;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.PublicPage;

namespace Micromastery.Hub.Tests.PublicPage;

/// <summary>The badge is well-formed SVG laid out as shields.io's flat style, with its text escaped and named for screen readers.</summary>
public sealed class BadgeSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Theory]
    [InlineData("Stripe payment link", PayoffStates.Verified, "#4c1")]
    [InlineData("A & B <c> \"d\" 'e'", PayoffStates.Pending, "#dfb317")]
    [InlineData("Ωmelette ]]> &amp;", PayoffStates.Unknown, "#9f9f9f")]
    [InlineData("Refunded payment", PayoffStates.Disputed, "#e05d44")]
    public void Badge_ParsesAsXml_AndFollowsTheFlatLayout(string label, string payoff, string color)
    {
        var svg = BadgeSvg.Render(label, payoff, BadgeSvg.ColorOf(payoff));

        var root = XDocument.Parse(svg).Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("20", root.Attribute("height")!.Value);
        Assert.Equal("img", root.Attribute("role")!.Value);
        Assert.Equal($"{label}: {payoff}", root.Attribute("aria-label")!.Value);
        Assert.Equal($"{label}: {payoff}", root.Element(Svg + "title")!.Value);

        var rects = root.Element(Svg + "g")!.Elements(Svg + "rect").ToList();
        var width = Int(root, "width");
        var left = Int(rects[0], "width");
        var right = Int(rects[1], "width");
        Assert.Equal(("#555", color), (rects[0].Attribute("fill")!.Value, rects[1].Attribute("fill")!.Value));
        Assert.Equal(left, Int(rects[1], "x"));
        Assert.Equal(width, left + right);
        Assert.Equal(left, BadgeSvg.TextWidth(label) + (2 * BadgeSvg.Padding));
        Assert.Equal(right, BadgeSvg.TextWidth(payoff) + (2 * BadgeSvg.Padding));

        var texts = root.Elements(Svg + "g").Last().Elements(Svg + "text").ToList();
        Assert.Equal(4, texts.Count);
        Assert.Equal([label, label, payoff, payoff], texts.Select(t => t.Value));
        Assert.Equal(left * 5, Int(texts[1], "x")); // centred in the label, at ten times scale
        Assert.Equal((left * 10) + (right * 5), Int(texts[3], "x"));
        Assert.All(texts.Where((_, i) => i % 2 == 0), t => Assert.Equal("true", t.Attribute("aria-hidden")!.Value));
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void LongerText_MakesAWiderBadge()
    {
        Assert.True(BadgeSvg.TextWidth("verified") > BadgeSvg.TextWidth("pending") - 10);
        Assert.True(BadgeSvg.TextWidth("a much longer micromastery name") > BadgeSvg.TextWidth("short"));
        Assert.Equal(0, BadgeSvg.TextWidth(""));
    }

    private static int Int(XElement e, string attribute) => int.Parse(e.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);
}
