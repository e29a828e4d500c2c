using Microsoft.AspNetCore.Http.HttpResults;

namespace Micromastery.Hub.Templates;

/// <summary>
/// A template that cannot be parsed or rendered: names the file, line and column (1-based) so the
/// operator can fix it. Fails the rendering that hit it, nothing else.
/// </summary>
internal sealed class TemplateException(string file, int line, int column, string problem, Exception? inner = null)
    : Exception($"{file}({line},{column}): {problem}", inner)
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Problem { get; } = problem;

    /// <summary>The API's answer (422 ProblemDetails): where the template failed, as <c>file</c>, <c>line</c>, <c>column</c> and <c>problem</c>.</summary>
    public ProblemHttpResult ToProblem() => TypedResults.Problem(
        Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The template failed",
        extensions: new Dictionary<string, object?> { ["file"] = File, ["line"] = Line, ["column"] = Column, ["problem"] = Problem });
}
