namespace Micromastery.Hub.CommandLine;

/// <summary>Aligned columns for the terminal.</summary>
internal static class TextTable
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = headers.Select((_, i) => all.Max(r => i < r.Count ? r[i].Length : 0)).ToArray();
        var lines = new List<string>();
        for (var r = 0; r < all.Count; r++)
        {
            lines.Add(string.Join("  ", all[r].Select((cell, i) => i == all[r].Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
            if (r == 0)
            {
                lines.Add(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }

        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
