using System.CommandLine;
using Micromastery.Hub.CommandLine;

namespace Micromastery.Hub.Practice;

/// <summary><c>log &lt;slug&gt; &lt;minutes&gt; [note] [--on DATE]</c>: records a practice session from the terminal, checked like the API's.</summary>
internal sealed class LogVerb : ICommandLineVerb
{
    public const string Name = "log";

    public Command Create(IServiceProvider services)
    {
        var slug = new Argument<string>("slug") { Description = "The micromastery (its slug in the stack file)." };
        var minutes = new Argument<int>("minutes") { Description = $"How long you practised (1–{PracticeInput.MaxMinutes})." };
        var note = new Argument<string?>("note") { Description = "What you did, optionally.", Arity = ArgumentArity.ZeroOrOne };
        var on = new Option<string?>("--on") { Description = "The day (yyyy-MM-dd) in the stack's time zone; default today." };
        var command = new Command(Name, "Log a practice session.") { slug, minutes, note, on };
        command.SetAction(async (result, ct) =>
        {
            var input = new PracticeInput(null, result.GetValue(slug), result.GetValue(on), null, result.GetValue(minutes), result.GetValue(note));
            var logged = await services.GetRequiredService<PracticeLog>().AddAsync(input, ct);
            if (logged.Session is not { } session)
            {
                await Console.Error.WriteLineAsync($"{logged.Field}: {logged.Error}");
                return 1;
            }

            Console.WriteLine($"logged {session.Minutes} min of {session.Slug} on {session.Date:yyyy-MM-dd} (id {session.Id})");
            return 0;
        });
        return command;
    }
}
