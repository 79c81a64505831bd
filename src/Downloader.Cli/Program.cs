using System.Threading.Tasks;

namespace Downloader.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args) => CliApp.Build().Parse(args).InvokeAsync();
}
