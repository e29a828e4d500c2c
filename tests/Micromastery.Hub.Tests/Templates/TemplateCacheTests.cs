using Micromastery.Hub.Email;
using Micromastery.Hub.Templates;
using Micromastery.Hub.Tests.Email;

namespace Micromastery.Hub.Tests.Templates;

/// <summary>A template is parsed once and rendered many times, yet an edit to its file applies on the very next rendering.</summary>
public sealed class TemplateCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hub-cache-").FullName;
    private readonly TemplateRenderer _renderer;

    public TemplateCacheTests() => _renderer = TestTemplates.Renderer(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string TextFile => Path.Combine(_folder, WeeklyEmailRenderer.TextTemplate);

    private Task<string> RenderAsync(TemplateRenderer? renderer = null, string template = WeeklyEmailRenderer.TextTemplate) =>
        (renderer ?? _renderer).RenderAsync(template, WeeklyModel.Build(SampleStack.Report, SampleStack.Definition, new IsoWeek(2026, 49)), CancellationToken.None);

    [Fact]
    public async Task EditedTemplate_IsUsedByTheNextRender_AfterCachedRenders()
    {
        File.WriteAllText(TextFile, "one {{ week.key }}");
        await RenderAsync();
        Assert.Equal("one 2026-W49", await RenderAsync());

        File.WriteAllText(TextFile, "two {{ week.key }}");
        var text = await RenderAsync();

        Assert.Equal("two 2026-W49", text);
    }

    [Fact]
    public async Task EditThatKeepsTheFilesTimeAndLength_IsStillUsed()
    {
        // What a copy that keeps times (cp -p, rsync -t) or a quick same-length save looks like to a cache keyed on time and length.
        File.WriteAllText(TextFile, "one {{ week.key }}");
        var written = File.GetLastWriteTimeUtc(TextFile);
        Assert.Equal("one 2026-W49", await RenderAsync());

        File.WriteAllText(TextFile, "two {{ week.key }}");
        File.SetLastWriteTimeUtc(TextFile, written);
        var text = await RenderAsync();

        Assert.Equal("two 2026-W49", text);
    }

    [Fact]
    public async Task SyntaxError_AfterAGoodVersionWasCached_IsReportedAsWithoutACache()
    {
        File.WriteAllText(TextFile, "fine {{ week.key }}");
        Assert.Equal("fine 2026-W49", await RenderAsync());

        File.WriteAllText(TextFile, "fine\nfine\n  {{ if }}");
        var error = await Assert.ThrowsAsync<TemplateException>(() => RenderAsync());
        var again = await Assert.ThrowsAsync<TemplateException>(() => RenderAsync());
        var uncached = await Assert.ThrowsAsync<TemplateException>(() => RenderAsync(TestTemplates.Renderer(_folder)));

        Assert.Equal(TextFile, error.File);
        Assert.Equal((3, 9), (error.Line, error.Column));
        Assert.Equal(uncached.Message, error.Message);
        Assert.Equal(uncached.Message, again.Message);
    }

    [Fact]
    public async Task FixedTemplate_RendersAgain_AfterASyntaxError()
    {
        File.WriteAllText(TextFile, "fine {{ week.key }}");
        await RenderAsync();
        File.WriteAllText(TextFile, "{{ if }}");
        await Assert.ThrowsAsync<TemplateException>(() => RenderAsync());

        File.WriteAllText(TextFile, "fine {{ week.key }}");
        var text = await RenderAsync();

        Assert.Equal("fine 2026-W49", text);
    }

    [Fact]
    public async Task OverrideAddedAndRemoved_AfterCachedRenders_SwitchesOnTheNextRender()
    {
        var builtIn = await RenderAsync();

        File.WriteAllText(TextFile, "mine {{ week.key }}");
        var overridden = await RenderAsync();
        File.Delete(TextFile);
        var back = await RenderAsync();

        Assert.StartsWith("MICROMASTERY HUB", builtIn, StringComparison.Ordinal);
        Assert.Equal("mine 2026-W49", overridden);
        Assert.Equal(builtIn, back);
    }

    [Fact]
    public async Task ConcurrentRenders_OfOneCachedTemplate_AllMatchASingleRender()
    {
        var expected = await RenderAsync(template: WeeklyEmailRenderer.HtmlTemplate);

        var texts = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => RenderAsync(template: WeeklyEmailRenderer.HtmlTemplate))));

        Assert.All(texts, text => Assert.Equal(expected, text));
    }
}
