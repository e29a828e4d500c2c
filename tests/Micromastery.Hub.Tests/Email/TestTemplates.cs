using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Templates;

namespace Micromastery.Hub.Tests.Email;

/// <summary>The hub's template renderer outside a host: the built-in templates from the build output, plus an optional override folder.</summary>
public static class TestTemplates
{
    public static TemplateRenderer Renderer(string? overrideFolder = null, int timeoutMs = 5_000)
    {
        var options = new Monitor(new TemplateOptions { OverridePath = overrideFolder, RenderTimeoutMs = timeoutMs });
        var environment = new Environment { ContentRootPath = AppContext.BaseDirectory };
        return new TemplateRenderer(new TemplateFiles(options, environment), options, NullLogger<TemplateRenderer>.Instance);
    }

    private sealed class Monitor(TemplateOptions value) : IOptionsMonitor<TemplateOptions>
    {
        public TemplateOptions CurrentValue => value;

        public TemplateOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<TemplateOptions, string?> listener) => null;
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "Micromastery.Hub";

        public string ContentRootPath { get; set; } = "";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
