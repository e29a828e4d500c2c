using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// The Atom feed (RFC 4287) of published payoffs, repeatability and published case studies: one entry
/// each, with an id that never changes (a name-based UUID of the hub's address, the kind and the slug).
/// </summary>
internal static class AtomFeed
{
    private const string Atom = "http://www.w3.org/2005/Atom";

    public sealed record Entry(string Id, string Title, DateTimeOffset Updated, string Link, string Summary);

    public static IReadOnlyList<Entry> Entries(PublicStack stack, string root)
    {
        var entries = new List<Entry>();
        foreach (var m in stack.Micromasteries)
        {
            var link = $"{root}/public/{m.Slug}";
            if (m.VerifiedAt is { } verified)
            {
                entries.Add(new Entry(Id(root, "payoff", m.Slug), $"Payoff verified: {m.Name}", verified, link, PublicFormat.Summary(m)));
            }

            if (m.RepeatedAt is { } repeated)
            {
                entries.Add(new Entry(Id(root, "repeatability", m.Slug), $"Repeated in a second context: {m.Name}", repeated, link,
                    $"{m.Name}: the payoff held again in a different context — {PublicFormat.Repeatability(m).ToLowerInvariant()}."));
            }

            if (m.CaseStudy is { } study)
            {
                entries.Add(new Entry(Id(root, "case-study", m.Slug), $"Case study: {m.Name}", study.PublishedAt, link + "#case-study",
                    $"The case study of {m.Name}: how the payoff was reached in the 7-day plan."));
            }
        }

        return entries.OrderByDescending(e => e.Updated).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
    }

    public static string Write(PublicStack stack, string root)
    {
        var entries = Entries(stack, root);
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Atom);
            xml.WriteElementString("id", Atom, Id(root, "feed", ""));
            xml.WriteElementString("title", Atom, stack.Profile is { } p ? $"{p.DisplayName}: payoffs built in public" : "Payoffs built in public");
            if (stack.Profile?.Bio is { } bio)
            {
                xml.WriteElementString("subtitle", Atom, bio);
            }

            // A feed's updated is its latest entry's, so it only changes when something was published.
            xml.WriteElementString("updated", Atom, PublicFormat.Iso(entries.Count > 0 ? entries.Max(e => e.Updated) : DateTimeOffset.UnixEpoch));
            Link(xml, "self", $"{root}/public/feed.xml", "application/atom+xml");
            Link(xml, "alternate", $"{root}/public", "text/html");
            xml.WriteStartElement("author", Atom);
            xml.WriteElementString("name", Atom, stack.Profile?.DisplayName ?? "Micromastery Hub");
            xml.WriteEndElement();
            xml.WriteStartElement("generator", Atom);
            xml.WriteString("Micromastery Hub");
            xml.WriteEndElement();
            foreach (var entry in entries)
            {
                xml.WriteStartElement("entry", Atom);
                xml.WriteElementString("id", Atom, entry.Id);
                xml.WriteElementString("title", Atom, entry.Title);
                xml.WriteElementString("updated", Atom, PublicFormat.Iso(entry.Updated));
                Link(xml, "alternate", entry.Link, "text/html");
                xml.WriteStartElement("summary", Atom);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(entry.Summary);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Link(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link", Atom);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    /// <summary>A name-based UUID (RFC 9562 version 5 layout over SHA-1): the same name always gives the same id.</summary>
    internal static string Id(string root, string kind, string slug)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes($"micromastery-hub\n{root}\n{kind}\n{slug}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
