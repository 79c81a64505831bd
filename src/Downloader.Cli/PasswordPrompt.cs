using System;
using System.Text;

namespace Downloader.Cli;

/// <summary>Asks for a password on the terminal without echoing it, as curl does for -u USER.</summary>
internal static class PasswordPrompt
{
    public static string Ask(string prompt, string option)
    {
        if (Console.IsInputRedirected || Console.IsErrorRedirected)
        {
            throw new UsageException($"{option} gave no password, and there is no terminal to ask for one: give USER:PASSWORD, or use --netrc.");
        }

        // Echo off before the prompt shows: what is typed the moment it appears must not be echoed either.
        using TerminalEcho quiet = TerminalEcho.Off();
        Console.Error.Write(prompt);
        var password = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
                continue;
            }

            password.Append(key.KeyChar);
        }

        Console.Error.WriteLine();
        return password.ToString();
    }
}
