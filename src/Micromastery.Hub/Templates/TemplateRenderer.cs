using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Micromastery.Hub.Templates;

/// <summary>
/// Renders a template file in Scriban's sandbox: the model is plain <see cref="ScriptObject"/> /
/// <see cref="ScriptArray"/> data (no .NET objects), unknown variables and members are errors,
/// loops, recursion and time are limited, and includes stay inside the template folders.
/// Files are read on every rendering so an edited override takes effect without a restart; a file is
/// parsed again only when its text differs from the text of its last parse.
/// </summary>
internal sealed partial class TemplateRenderer(TemplateFiles files, IOptionsMonitor<TemplateOptions> options, ILogger<TemplateRenderer> logger)
{
    // The last parse of each file, keyed by its resolved path. A parsed Template is immutable and safe to render from
    // several threads at once, each with its own TemplateContext.
    private readonly ConcurrentDictionary<string, Parsed> _parsed = new(StringComparer.Ordinal);

    public async Task<string> RenderAsync(string name, ScriptObject model, CancellationToken cancellationToken)
    {
        try
        {
            return await RenderCoreAsync(name, model, cancellationToken);
        }
        catch (TemplateException ex)
        {
            LogTemplateError(ex.File, ex.Line, ex.Column, ex.Problem);
            throw;
        }
    }

    private async Task<string> RenderCoreAsync(string name, ScriptObject model, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var path = files.Resolve(name, out var refused) ?? throw new TemplateException(Path.Combine(files.OverrideRoot ?? files.BuiltInRoot, name), 0, 0,
            refused ?? $"template '{name}' not found in {files.OverrideRoot ?? "(no override folder)"} or {files.BuiltInRoot}");
        var template = await ParseAsync(path, cancellationToken);
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == Scriban.Parsing.ParserMessageType.Error);
            throw new TemplateException(path, first.Span.Start.Line + 1, first.Span.Start.Column + 1,
                string.Join("; ", template.Messages.Select(m => m.Message)));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RenderTimeoutMs);
        var context = new TemplateContext
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            EnableRelaxedFunctionAccess = false,
            LoopLimit = settings.LoopLimit,
            RecursiveLimit = settings.RecursiveLimit,
            LimitToString = 1_048_576,
            RegexTimeOut = TimeSpan.FromSeconds(1),
            // No .NET object reaches a template, so reflected members get no names at all.
            MemberFilter = _ => false,
            TemplateLoader = new TemplateFiles.Loader(files),
            CancellationToken = timeout.Token,
        };
        ScriptModel.Freeze(model);
        context.PushGlobal(model);
        // The template's own variables live here, so an assignment never writes into the model.
        context.PushGlobal(new ScriptObject());
        try
        {
            return await template.RenderAsync(context);
        }
        catch (ScriptAbortException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TemplateException(ex.Span.FileName ?? path, ex.Span.Start.Line + 1, ex.Span.Start.Column + 1,
                $"rendering took longer than {settings.RenderTimeoutMs} ms and was stopped", ex);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Scriban's async path can surface the timeout as a plain cancellation (no span) instead of a ScriptAbortException.
            throw new TemplateException(path, 1, 1, $"rendering took longer than {settings.RenderTimeoutMs} ms and was stopped", ex);
        }
        catch (ScriptRuntimeException ex) when (ex is not ScriptAbortException)
        {
            throw new TemplateException(ex.Span.FileName ?? path, ex.Span.Start.Line + 1, ex.Span.Start.Column + 1, ex.OriginalMessage, ex);
        }
    }

    /// <summary>
    /// Compares the whole text, not the file's time and length: those miss a same-length edit within one timestamp
    /// tick, or a copy that keeps the old time, and reading a template costs far less than parsing it.
    /// </summary>
    private async Task<Template> ParseAsync(string path, CancellationToken cancellationToken)
    {
        var source = await File.ReadAllTextAsync(path, cancellationToken);
        if (_parsed.TryGetValue(path, out var last) && string.Equals(last.Source, source, StringComparison.Ordinal))
        {
            return last.Template;
        }

        // A template with errors is kept too: the same broken text gives the same error without another parse.
        var template = Template.Parse(source, path);
        _parsed[path] = new Parsed(source, template);
        return template;
    }

    private sealed record Parsed(string Source, Template Template);

    [LoggerMessage(Level = LogLevel.Error, Message = "Template error in {File}({Line},{Column}): {Problem}")]
    private partial void LogTemplateError(string file, int line, int column, string problem);
}
