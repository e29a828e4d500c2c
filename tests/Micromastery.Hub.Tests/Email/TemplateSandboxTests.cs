using Micromastery.Hub.Email;
using Micromastery.Hub.Templates;

namespace Micromastery.Hub.Tests.Email;

/// <summary>User templates run in Scriban's sandbox: each escape attempt is stopped with the file, line and column.</summary>
public sealed class TemplateSandboxTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hub-sandbox-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<string> RenderAsync(string text, int timeoutMs = 5_000)
    {
        File.WriteAllText(Path.Combine(_folder, WeeklyEmailRenderer.TextTemplate), text);
        return TestTemplates.Renderer(_folder, timeoutMs).RenderAsync(WeeklyEmailRenderer.TextTemplate,
            WeeklyModel.Build(SampleStack.Report, SampleStack.Definition, new IsoWeek(2026, 49)), CancellationToken.None);
    }

    [Fact]
    public async Task DotNetMemberAccess_IsStoppedWithFileLineAndColumn()
    {
        var error = await Assert.ThrowsAsync<TemplateException>(() => RenderAsync("ok\n{{ week.key.GetType }}"));

        Assert.Equal(Path.Combine(_folder, WeeklyEmailRenderer.TextTemplate), error.File);
        Assert.Equal(2, error.Line);
        Assert.Equal(13, error.Column);
        Assert.Contains("GetType", error.Problem);
        Assert.StartsWith($"{error.File}(2,13): ", error.Message);
    }

    [Fact]
    public async Task MissingModelMember_IsAnError() =>
        Assert.Contains("password", (await Assert.ThrowsAsync<TemplateException>(() => RenderAsync("{{ pace.password }}"))).Problem);

    [Fact]
    public async Task UnknownVariable_IsAnError() =>
        Assert.Contains("environment", (await Assert.ThrowsAsync<TemplateException>(() => RenderAsync("{{ environment }}"))).Problem);

    [Fact]
    public async Task EndlessLoop_HitsTheLoopLimit()
    {
        var error = await Assert.ThrowsAsync<TemplateException>(() => RenderAsync("line 1\nline 2\n{{ while true }}x{{ end }}"));

        Assert.Equal(3, error.Line);
        Assert.Contains("limit", error.Problem);
    }

    [Fact]
    public async Task EndlessRecursion_HitsTheRecursionLimit() =>
        Assert.Contains("recursive", (await Assert.ThrowsAsync<TemplateException>(() => RenderAsync("{{ func f; f; end; f }}"))).Problem);

    [Fact]
    public async Task SlowTemplate_IsStoppedByTheTimeout()
    {
        // Nested loops stay under the loop limit per level while taking far longer than 50 ms.
        var error = await Assert.ThrowsAsync<TemplateException>(() =>
            RenderAsync("{{ s = '' }}{{ for i in 1..9000 }}{{ s = s + 'abcdefghij' | string.replace 'a' 'b' }}{{ end }}", timeoutMs: 50));

        Assert.Contains("longer than 50 ms", error.Problem);
    }

    [Fact]
    public async Task IncludeOutsideTheTemplatesFolder_IsRefused()
    {
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_folder)!, "secret.txt"), "secret");

        var error = await Assert.ThrowsAsync<TemplateException>(() => RenderAsync($"{{{{ include '../secret.txt' }}}}"));

        Assert.Contains("outside the templates folder", error.Problem);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public async Task IncludeAbsolutePath_IsRefused() =>
        Assert.Contains("outside", (await Assert.ThrowsAsync<TemplateException>(() => RenderAsync("{{ include '/etc/passwd' }}"))).Problem);

    [Fact]
    public async Task IncludeInsideTheFolder_Works()
    {
        File.WriteAllText(Path.Combine(_folder, "_footer.sbn"), "-- week {{ week.key }}");

        Assert.Equal("head -- week 2026-W49", await RenderAsync("head {{ include '_footer.sbn' }}"));
    }

    [Fact]
    public async Task Assignment_NeverChangesTheModel()
    {
        var text = await RenderAsync("{{ verified_total = 99 }}{{ verified_total }}");

        Assert.Equal("99", text);
    }

    [Fact]
    public async Task SyntaxError_NamesFileLineAndColumn()
    {
        var error = await Assert.ThrowsAsync<TemplateException>(() => RenderAsync("fine\nfine\n  {{ if }}"));

        Assert.Equal(3, error.Line);
        Assert.Equal(9, error.Column); // where the expression was expected
    }

    [Fact]
    public async Task OverrideWinsPerFile_OtherFilesStayBuiltIn()
    {
        var text = await RenderAsync("mine: {{ week.key }}");
        var html = await TestTemplates.Renderer(_folder).RenderAsync(WeeklyEmailRenderer.HtmlTemplate,
            WeeklyModel.Build(SampleStack.Report, SampleStack.Definition, new IsoWeek(2026, 49)), CancellationToken.None);

        Assert.Equal("mine: 2026-W49", text);
        Assert.Contains("<!DOCTYPE html>", html);
    }

    [Fact]
    public void Model_RefusesDotNetObjects() =>
        Assert.Throws<ArgumentException>(() => ScriptModel.Object(("clock", TimeProvider.System)));
}
