using System.ComponentModel.DataAnnotations;

namespace Micromastery.Hub.Stack;

public sealed class StackOptions
{
    public const string Section = "Stack";

    /// <summary>The stack file; relative paths are under the content root. Created with a starter stack when missing.</summary>
    [Required]
    public string Path { get; set; } = "stack.yml";
}
