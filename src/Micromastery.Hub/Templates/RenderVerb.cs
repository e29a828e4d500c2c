using System.CommandLine;
using System.Diagnostics;
using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Email;

namespace Micromastery.Hub.Templates;

/// <summary><c>render weekly --out FILE [--format html|text]</c> and <c>render draft SLUG --out FILE</c>: live data through the templates, nothing sent or stored.</summary>
internal sealed class RenderVerb : ICommandLineVerb
{
    public Command Create(IServiceProvider services)
    {
        var weeklyOut = new Option<FileInfo>("--out") { Description = "File to write.", Required = true };
        var format = new Option<string>("--format") { Description = "html (default) or text.", DefaultValueFactory = _ => "html" };
        format.AcceptOnlyFromAmong("html", "text");
        var weekly = new Command("weekly", "Render this week's email from live data (nothing is sent).") { weeklyOut, format };
        weekly.SetAction((result, ct) => RunAsync(async () =>
        {
            var email = await services.GetRequiredService<WeeklyEmailRenderer>().RenderAsync(null, ct);
            return (result.GetValue(weeklyOut)!, result.GetValue(format) == "text" ? email.Text : email.Html);
        }, ct));

        var slug = new Argument<string>("slug") { Description = "The micromastery's slug." };
        var draftOut = new Option<FileInfo>("--out") { Description = "File to write.", Required = true };
        var draft = new Command("draft", "Render a micromastery's case-study draft from live data (nothing is stored).") { slug, draftOut };
        draft.SetAction((result, ct) => RunAsync(async () =>
        {
            var name = result.GetValue(slug)!;
            var markdown = await services.GetRequiredService<CaseStudyRenderer>().RenderAsync(name, ct)
                ?? throw new ArgumentException($"no micromastery '{name}' in the stack");
            return (result.GetValue(draftOut)!, markdown);
        }, ct));

        return new Command("render", "Render the weekly email or a case-study draft to a file.") { weekly, draft };
    }

    private static async Task<int> RunAsync(Func<Task<(FileInfo File, string Text)>> render, CancellationToken ct)
    {
        try
        {
            var clock = Stopwatch.StartNew();
            var (file, text) = await render();
            await File.WriteAllTextAsync(file.FullName, text, ct);
            Console.WriteLine($"wrote {file.FullName} ({text.Length} characters, rendered in {clock.ElapsedMilliseconds} ms)");
            return 0;
        }
        catch (TemplateException ex)
        {
            await Console.Error.WriteLineAsync($"template error: {ex.Message}");
            return 2;
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
    }
}
