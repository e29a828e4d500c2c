using Microsoft.Extensions.Options;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Micromastery.Hub.Templates;

/// <summary>
/// Finds template files: the override folder first, then the built-in folder. Names are resolved
/// inside those folders only, and to real paths, so neither a caller, an <c>include</c> nor a
/// symbolic link placed in a folder can read a file elsewhere.
/// </summary>
internal sealed class TemplateFiles(IOptionsMonitor<TemplateOptions> options, IHostEnvironment environment)
{
    public string BuiltInRoot => Path.GetFullPath(options.CurrentValue.Path, AppContext.BaseDirectory);

    public string? OverrideRoot => options.CurrentValue.OverridePath is { Length: > 0 } path
        ? Path.GetFullPath(path, environment.ContentRootPath)
        : null;

    /// <summary>
    /// The file that serves <paramref name="name"/>, or null when the name leaves the folders or no file exists.
    /// <paramref name="refused"/> says why when the file exists but really lies outside its folder (a symbolic link out).
    /// </summary>
    public string? Resolve(string name, out string? refused)
    {
        refused = null;
        foreach (var root in Roots())
        {
            if (Inside(root, name) is { } path && File.Exists(path))
            {
                if (!RealPaths.IsInside(root, path))
                {
                    // Not a fallback to the next folder: the operator put this file here and should hear why it is not used.
                    refused = $"'{name}' in {root} is, or lies behind, a symbolic link to outside that folder; templates must really be inside it";
                    return null;
                }

                return path;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="name"/> stays inside the template folders.</summary>
    public bool IsInside(string name) => Roots().All(root => Inside(root, name) is not null);

    private IEnumerable<string> Roots()
    {
        if (OverrideRoot is { } custom)
        {
            yield return custom;
        }

        yield return BuiltInRoot;
    }

    private static string? Inside(string root, string name)
    {
        if (Path.IsPathRooted(name))
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(root, name));
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>The loader Scriban uses for <c>include</c>: the same rules as <see cref="Resolve"/>.</summary>
    internal sealed class Loader(TemplateFiles files) : ITemplateLoader
    {
        public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
        {
            if (!files.IsInside(templateName))
            {
                throw new ScriptRuntimeException(callerSpan, $"include '{templateName}' is outside the templates folder; only files inside it can be included");
            }

            return files.Resolve(templateName, out var refused)
                ?? throw new ScriptRuntimeException(callerSpan, refused is null
                    ? $"include '{templateName}': no such template in the templates folder"
                    : $"include refused: {refused}");
        }

        public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => File.ReadAllText(templatePath);

        public async ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
            await File.ReadAllTextAsync(templatePath, context.CancellationToken);
    }
}
