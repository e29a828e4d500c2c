using Micromastery.Hub.Email;
using Micromastery.Hub.Templates;
using Micromastery.Hub.Tests.Email;

namespace Micromastery.Hub.Tests.Templates;

/// <summary>Symbolic links in the override folder are followed to where they really point, and refused when that is outside.</summary>
public sealed class TemplateLinkTests : IDisposable
{
    private const string Secret = "host-secret-7f3a";
    private readonly string _folder = Directory.CreateTempSubdirectory("hub-links-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("hub-outside-").FullName;

    public TemplateLinkTests() => File.WriteAllText(Path.Combine(_outside, "hostname"), Secret);

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private Task<string> RenderAsync(string? text = null)
    {
        if (text is not null)
        {
            File.WriteAllText(Path.Combine(_folder, WeeklyEmailRenderer.TextTemplate), text);
        }

        return TestTemplates.Renderer(_folder).RenderAsync(WeeklyEmailRenderer.TextTemplate,
            WeeklyModel.Build(SampleStack.Report, SampleStack.Definition, new IsoWeek(2026, 49)), CancellationToken.None);
    }

    [Fact]
    public async Task IncludeThroughALinkedFolderPointingOut_IsATemplateError()
    {
        Directory.CreateSymbolicLink(Path.Combine(_folder, "etcdir"), _outside);

        var error = await Assert.ThrowsAsync<TemplateException>(() => RenderAsync("head\n{{ include 'etcdir/hostname' }}"));

        Assert.Equal(2, error.Line);
        Assert.Contains("include refused: 'etcdir/hostname'", error.Problem, StringComparison.Ordinal);
        Assert.Contains("symbolic link to outside that folder", error.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncludeOfALinkedFilePointingOut_IsATemplateError()
    {
        File.CreateSymbolicLink(Path.Combine(_folder, "_footer.sbn"), Path.Combine(_outside, "hostname"));

        var error = await Assert.ThrowsAsync<TemplateException>(() => RenderAsync("{{ include '_footer.sbn' }}"));

        Assert.Contains("symbolic link to outside that folder", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverrideTemplateThatIsALinkPointingOut_IsATemplateError()
    {
        File.CreateSymbolicLink(Path.Combine(_folder, WeeklyEmailRenderer.TextTemplate), Path.Combine(_outside, "hostname"));

        var error = await Assert.ThrowsAsync<TemplateException>(() => RenderAsync());

        Assert.Contains($"'{WeeklyEmailRenderer.TextTemplate}' in {_folder} is, or lies behind, a symbolic link", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkLoop_IsRefusedNotFollowedForever()
    {
        File.CreateSymbolicLink(Path.Combine(_folder, "a.sbn"), Path.Combine(_folder, "b.sbn"));
        File.CreateSymbolicLink(Path.Combine(_folder, "b.sbn"), Path.Combine(_folder, "a.sbn"));

        await Assert.ThrowsAsync<TemplateException>(() => RenderAsync("{{ include 'a.sbn' }}"));
    }

    [Fact]
    public async Task LinkThatStaysInside_IsFollowed()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "parts"));
        File.WriteAllText(Path.Combine(_folder, "parts", "footer.sbn"), "-- inside");
        Directory.CreateSymbolicLink(Path.Combine(_folder, "shared"), Path.Combine(_folder, "parts"));

        Assert.Equal("head -- inside", await RenderAsync("head {{ include 'shared/footer.sbn' }}"));
    }
}
