using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Micromastery.Hub.Stack;

/// <summary>
/// What a stack file may be, checked on YamlDotNet's event stream before any node tree is built:
/// the tree code recurses (a deep nesting overflows the stack, which .NET cannot catch) and hashes
/// keys (a self-referencing alias never ends), so those shapes must be refused before it runs.
/// </summary>
internal static class StackFileLimits
{
    /// <summary>Largest stack file read (1 MiB); a real stack is a few kilobytes.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Deepest nesting of lists and mappings; a valid stack file needs 6.</summary>
    public const int MaxDepth = 32;

    /// <summary>The first shape problem of <paramref name="text"/>, or null when the parser may build a tree from it.</summary>
    public static StackFileError? Check(string text)
    {
        if (text.Length > MaxBytes || System.Text.Encoding.UTF8.GetByteCount(text) > MaxBytes)
        {
            return new StackFileError(1, 1, $"the stack file is larger than {MaxBytes / 1024} KiB; a stack is a few kilobytes, check that this is the right file");
        }

        // Each open container remembers whether its next child is a key (mappings alternate key, value).
        var containers = new Stack<Container>();
        var documents = 0;
        var parser = new Parser(new StringReader(text));
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            switch (current)
            {
                case DocumentStart when ++documents > 1:
                    return At(current, "the stack file must hold one YAML document; remove the second '---'");
                case AnchorAlias alias:
                    return At(current, $"aliases ('*{alias.Value}') are not supported in the stack file; write the value out");
                case NodeEvent { Anchor.IsEmpty: false } node:
                    return At(current, $"anchors ('&{node.Anchor}') are not supported in the stack file; write the value out");
            }

            switch (current)
            {
                case MappingStart or SequenceStart:
                    if (IsKey(containers))
                    {
                        return At(current, "a key must be a plain value, not a list or a mapping");
                    }

                    Advance(containers);
                    if (containers.Count >= MaxDepth)
                    {
                        return At(current, $"the stack file nests lists and mappings more than {MaxDepth} levels deep");
                    }

                    containers.Push(new Container(current is MappingStart));
                    break;
                case MappingEnd or SequenceEnd:
                    containers.Pop();
                    break;
                case Scalar:
                    Advance(containers);
                    break;
            }
        }

        return null;
    }

    private static bool IsKey(Stack<Container> containers) =>
        containers.TryPeek(out var top) && top.IsMapping && top.NextIsKey;

    private static void Advance(Stack<Container> containers)
    {
        if (containers.TryPeek(out var top) && top.IsMapping)
        {
            top.NextIsKey = !top.NextIsKey;
        }
    }

    private static StackFileError At(ParsingEvent e, string message) => new((int)e.Start.Line, (int)e.Start.Column, message);

    private sealed class Container(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public bool NextIsKey { get; set; } = true;
    }
}
