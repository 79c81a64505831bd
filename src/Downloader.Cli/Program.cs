using System;
using System.CommandLine;
using System.Linq;
using System.Threading.Tasks;

namespace Downloader.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        ParseResult parse = CliApp.Build().Parse(args);
        if (parse.Errors.Count > 0 && !parse.Tokens.Any(t => t.Value is "-h" or "--help" or "-?"))
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine("downloader: " + error.Message);
            }

            Console.Error.WriteLine("Try 'downloader --help'.");
            return ExitCodes.Usage;
        }

        // Ctrl+C cancels the command's token; the command then decides how long to wind down (stream --finish may
        // take a while), instead of the parser's default of killing the process after two seconds.
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromDays(1) };
        return await parse.InvokeAsync(configuration).ConfigureAwait(false);
    }
}
