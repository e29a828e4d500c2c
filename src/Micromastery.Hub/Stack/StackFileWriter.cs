using System.Text;

namespace Micromastery.Hub.Stack;

/// <summary>
/// Writes a stack file from catalog staples — the starter written on first run and the one <c>init</c>
/// writes are the same shape, from here: a comment with each staple's layer and payoff, its checks, and
/// each required parameter as a TODO.
/// </summary>
internal static class StackFileWriter
{
    public sealed record Entry(Staple Staple, IReadOnlyList<SuggestedCheck> Checks);

    /// <param name="header">Comment lines for the top of the file (without '#').</param>
    /// <param name="examples">Commented-out entries appended to the list, for the first-run starter.</param>
    public static string Write(IEnumerable<Entry> entries, DateOnly today, IEnumerable<string> header, string? examples = null)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.AppendLine($"# {line}".TrimEnd());
        }

        text.AppendLine();
        text.AppendLine("# The time zone your days turn in (IANA name).");
        text.AppendLine("timeZone: UTC");
        text.AppendLine();
        text.AppendLine("micromasteries:");
        foreach (var (staple, checks) in entries)
        {
            var layer = staple.Layer.Code().Length == 1 ? $"{staple.Layer.Code()}) {staple.Layer.Title()}" : staple.Layer.Title();
            text.AppendLine($"  # {layer} — {staple.Name}. Payoff: {staple.Anatomy.Payoff}");
            text.AppendLine($"  - staple: {staple.Id}");
            text.AppendLine($"    started: {today:yyyy-MM-dd}");
            text.AppendLine("    checks:");
            foreach (var check in checks)
            {
                text.AppendLine($"      - type: {check.Type}");
                foreach (var parameter in check.RequiredParameters)
                {
                    text.AppendLine($"        {parameter}: TODO");
                }
            }

            text.AppendLine();
        }

        if (examples is not null)
        {
            text.Append(examples);
        }

        return text.ToString();
    }
}
