using System.CommandLine;
using Micromastery.Hub.CommandLine;

namespace Micromastery.Hub.Access;

/// <summary>
/// <c>hash-password</c>: reads the owner's password (typed without echo, or piped on standard input) and
/// prints the value for <c>Operator:PasswordHash</c>, so no plain password sits in configuration.
/// </summary>
internal sealed class HashPasswordVerb : ICommandLineVerb
{
    public const string Name = "hash-password";

    public Command Create(IServiceProvider services)
    {
        var command = new Command(Name, "Print a hash of the owner's password for Operator:PasswordHash (the password is read from standard input).");
        command.SetAction(_ =>
        {
            var password = Console.IsInputRedirected ? Console.In.ReadLine() : Prompt();
            if (string.IsNullOrEmpty(password))
            {
                Console.Error.WriteLine("no password given: type it at the prompt, or pipe it on standard input");
                return 1;
            }

            if (password.Length < 12)
            {
                Console.Error.WriteLine("warning: a password shorter than 12 characters is easy to guess");
            }

            Console.WriteLine(OwnerPassword.Hash(password));
            return 0;
        });
        return command;
    }

    private static string Prompt()
    {
        Console.Error.Write("Owner password: ");
        var typed = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return typed.ToString();
    }
}
