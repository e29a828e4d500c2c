namespace Micromastery.Hub.Templates;

/// <summary>Paths with every symbolic link resolved, like POSIX <c>realpath</c>, which .NET does not offer.</summary>
internal static class RealPaths
{
    private const int MaxLinks = 40;

    /// <summary>True when <paramref name="path"/> really lies inside <paramref name="root"/> once all links of both are followed.</summary>
    public static bool IsInside(string root, string path)
    {
        try
        {
            var realRoot = Resolve(root, 0);
            var prefix = realRoot.EndsWith(Path.DirectorySeparatorChar) ? realRoot : realRoot + Path.DirectorySeparatorChar;
            return Resolve(path, 0).StartsWith(prefix, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            // A link loop or a link that vanished: nothing to trust.
            return false;
        }
    }

    /// <summary>Walks the path one part at a time and replaces each link by where it points, so a link in any folder of the path counts.</summary>
    private static string Resolve(string path, int depth)
    {
        if (depth > MaxLinks)
        {
            throw new IOException($"more than {MaxLinks} symbolic links in {path}");
        }

        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is { } target)
            {
                current = Resolve(Path.GetFullPath(target, Path.GetDirectoryName(current)!), depth + 1);
            }
        }

        return current;
    }
}
