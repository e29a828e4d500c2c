using Microsoft.Extensions.Logging.Abstractions;
using Micromastery.Hub.Templates;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Email;

/// <summary>The hub's template renderer outside a host: the built-in templates from the build output, plus an optional override folder.</summary>
public static class TestTemplates
{
    internal static TemplateRenderer Renderer(string? overrideFolder = null, int timeoutMs = 5_000)
    {
        var options = new FixedOptions<TemplateOptions>(new TemplateOptions { OverridePath = overrideFolder, RenderTimeoutMs = timeoutMs });
        return new TemplateRenderer(new TemplateFiles(options, new TestEnvironment(AppContext.BaseDirectory)), options, NullLogger<TemplateRenderer>.Instance);
    }
}
