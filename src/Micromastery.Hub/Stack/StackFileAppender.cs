using System.Text;
using System.Text.RegularExpressions;

namespace Micromastery.Hub.Stack;

/// <summary>
/// Adds one entry to the user's stack file as text: the block goes after the last line of the
/// <c>micromasteries:</c> list, in the list's own indentation, and every other line — comments, blank
/// lines, key order — stays byte for byte. (Loading and re-serialising the YAML would lose the comments.)
/// </summary>
internal static partial class StackFileAppender
{
    /// <summary>The lines of one entry, unindented: the list's indentation is added by <see cref="Append"/>.</summary>
    public static IReadOnlyList<string> Block(Staple staple, string checkType, IEnumerable<(string Name, string Value)> parameters, DateOnly started, bool isPublic)
    {
        var layer = staple.Layer.Code().Length == 1 ? $"{staple.Layer.Code()}) {staple.Layer.Title()}" : staple.Layer.Title();
        var lines = new List<string>
        {
            $"# {layer} — {staple.Name}. Payoff: {staple.Anatomy.Payoff} (started from the catalog)",
            $"- staple: {staple.Id}",
            $"  started: {started:yyyy-MM-dd}",
        };
        if (isPublic)
        {
            lines.Add("  public: true");
        }

        lines.Add("  checks:");
        lines.Add($"    - type: {checkType}");
        lines.AddRange(parameters.Select(p => $"      {p.Name}: {Quoted(p.Value)}"));
        return lines;
    }

    public static string Append(string text, IReadOnlyList<string> block)
    {
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Length == 0 ? [] : text.Split(newline).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1); // the final newline, added back below
        }

        var key = lines.FindIndex(l => ListKey().IsMatch(l));
        if (key < 0)
        {
            if (lines.Count > 0 && lines[^1].Trim().Length > 0)
            {
                lines.Add("");
            }

            lines.Add("micromasteries:");
            lines.AddRange(Indented(block, "  "));
            return Joined(lines, newline);
        }

        if (EmptyList().Match(lines[key]) is { Success: true } empty)
        {
            // "micromasteries: []" becomes a block list; a comment after it stays on its line.
            lines[key] = "micromasteries:" + (empty.Groups["comment"].Success ? " " + empty.Groups["comment"].Value : "");
            lines.InsertRange(key + 1, Indented(block, "  "));
            return Joined(lines, newline);
        }

        // The list ends where the next top-level key starts; comments and blank lines just before that key belong to it.
        var end = lines.FindIndex(key + 1, l => l.Length > 0 && !char.IsWhiteSpace(l[0]) && l[0] is not '#' and not '-');
        if (end < 0)
        {
            end = lines.Count;
        }
        else
        {
            while (end > key + 1 && (lines[end - 1].Trim().Length == 0 || lines[end - 1].TrimStart().StartsWith('#')))
            {
                end--;
            }
        }

        var item = lines.Skip(key + 1).Take(end - key - 1).Select(l => ItemIndent().Match(l)).FirstOrDefault(m => m.Success);
        var indent = item?.Groups[1].Value ?? "  ";
        var insert = new List<string>();
        if (end > key + 1 && lines[end - 1].Trim().Length > 0)
        {
            insert.Add("");
        }

        insert.AddRange(Indented(block, indent));
        if (end < lines.Count)
        {
            insert.Add("");
        }

        lines.InsertRange(end, insert);
        return Joined(lines, newline);
    }

    private static IEnumerable<string> Indented(IEnumerable<string> block, string indent) => block.Select(l => indent + l);

    private static string Joined(List<string> lines, string newline) => string.Join(newline, lines) + newline;

    /// <summary>A double-quoted YAML scalar: the owner's text can never become YAML syntax.</summary>
    private static string Quoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    [GeneratedRegex(@"^micromasteries\s*:")]
    private static partial Regex ListKey();

    [GeneratedRegex(@"^micromasteries\s*:\s*\[\s*\]\s*(?<comment>#.*)?$")]
    private static partial Regex EmptyList();

    [GeneratedRegex(@"^(\s*)- ")]
    private static partial Regex ItemIndent();
}
