using System.CommandLine;

namespace Downloader.Cli;

/// <summary>
/// The command line: the download command's own options (<see cref="DownloadArguments"/>), the company-network ones
/// (<see cref="NetworkOptions"/>) and `stream`. Parsing only; running is in the command classes.
/// </summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var arguments = new DownloadArguments();
        var network = new NetworkOptions();
        var root = new RootCommand("Fast, resumable, multi-connection downloads. Running the same command again resumes.");
        arguments.AddTo(root);
        network.AddTo(root);
        root.Subcommands.Add(StreamCommand.Build());
        root.Subcommands.Add(QueueCommand.Build());
        root.Validators.Add(arguments.Validate);
        root.SetAction((parse, cancellationToken) => new DownloadCommand(arguments.Read(parse, network)).RunAsync(cancellationToken));
        return root;
    }
}
