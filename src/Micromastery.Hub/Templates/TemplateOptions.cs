using System.ComponentModel.DataAnnotations;

namespace Micromastery.Hub.Templates;

internal sealed class TemplateOptions
{
    public const string Section = "Templates";

    /// <summary>The built-in templates; relative paths are under the hub's own folder, where the build copies templates/.</summary>
    [Required]
    public string Path { get; set; } = "templates";

    /// <summary>A folder of the user's own templates: a file here wins over the built-in one of the same name. Relative to the content root.</summary>
    public string? OverridePath { get; set; }

    /// <summary>How long one rendering may take before it is stopped.</summary>
    [Range(1, 600_000)]
    public int RenderTimeoutMs { get; set; } = 5_000;

    /// <summary>Cumulative loop iterations allowed per rendering (Scriban's LoopLimit).</summary>
    [Range(1, 10_000_000)]
    public int LoopLimit { get; set; } = 10_000;

    /// <summary>Nesting depth of function calls and includes (Scriban's RecursiveLimit).</summary>
    [Range(1, 1_000)]
    public int RecursiveLimit { get; set; } = 50;
}
