namespace Micromastery.Hub.Stack;

/// <summary>
/// The copy of the last stack file that loaded. Its first line names the stack file it copies, so a
/// hub pointed at another stack file never starts with a stranger's stack.
/// </summary>
internal static class LastGoodStack
{
    private const string Header = "# last good copy of ";

    /// <summary>The recorded stack for <paramref name="stackPath"/>, or null when there is none that still parses.</summary>
    public static StackDefinition? Read(string lastGoodPath, string stackPath, StackFileParser parser)
    {
        try
        {
            if (!File.Exists(lastGoodPath) || new FileInfo(lastGoodPath).Length > StackFileLimits.MaxBytes)
            {
                return null;
            }

            var text = File.ReadAllText(lastGoodPath);
            var firstLine = text.AsSpan()[..Math.Max(0, text.IndexOf('\n'))].TrimEnd('\r');
            if (!firstLine.SequenceEqual(Header + stackPath))
            {
                return null;
            }

            return parser.Parse(text) is { IsValid: true } result ? result.Stack : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="text"/> (written aside, then moved, so a crash never leaves half a copy).</summary>
    public static bool TryWrite(string lastGoodPath, string stackPath, string text, out string problem)
    {
        problem = "";
        var content = Header + stackPath + "\n" + text;
        try
        {
            if (File.Exists(lastGoodPath) && File.ReadAllText(lastGoodPath) == content)
            {
                return true;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(lastGoodPath)!);
            var temporary = lastGoodPath + ".tmp";
            File.WriteAllText(temporary, content);
            File.Move(temporary, lastGoodPath, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
            return false;
        }
    }
}
