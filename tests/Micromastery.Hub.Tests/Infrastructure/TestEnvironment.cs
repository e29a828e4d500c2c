using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>A host environment rooted at <paramref name="contentRoot"/>, for constructing a hub type without a host.</summary>
public sealed class TestEnvironment(string contentRoot) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Testing";

    public string ApplicationName { get; set; } = "Micromastery.Hub";

    public string ContentRootPath { get; set; } = contentRoot;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
