using System;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.Core.Results;
using Downloader.Core.Streaming;

namespace Downloader.Cli;

/// <summary>`downloader stream URL`: serves the file to a player on a local URL while downloading it in play order.</summary>
internal static class StreamCommand
{
    private static readonly Argument<string> Url = new("url") { Description = "The media URL." };
    private static readonly Option<int> Port = new("--port", "-p") { Description = "Local port (default: any free port)." };
    private static readonly Option<string> Bind = new("--bind")
    {
        Description = "Address to listen on. Only 127.0.0.1 unless you ask: another address exposes the file to your network.",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    private static readonly Option<string?> Output = new("--output", "-o") { Description = "Where the file goes (default: the server's name in the current folder)." };
    private static readonly Option<int?> Connections = new("--connections", "-x") { Description = "Connections (default: as many as a download gets)." };
    private static readonly Option<bool> Discard = new("--discard") { Description = "On Ctrl+C, delete what was downloaded (default: keep it for resuming)." };
    private static readonly Option<bool> Finish = new("--finish") { Description = "On Ctrl+C, stop serving but finish the download before exiting." };
    private static readonly NetworkOptions Network = new();

    public static Command Build()
    {
        var command = new Command("stream", "Watch while downloading: serve the file to a media player over local HTTP, with seeking.")
        {
            Url, Port, Bind, Output, Connections, Discard, Finish,
        };
        Network.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (!UrlParser.TryParse(parse.GetValue(Url)!, out Uri? uri, out string? error))
        {
            Console.Error.WriteLine($"downloader: '{Downloader.Core.Http.UserInfo.Redact(parse.GetValue(Url) ?? string.Empty)}': {error}");
            return ExitCodes.Usage;
        }

        if (!IPAddress.TryParse(parse.GetValue(Bind), out IPAddress? address))
        {
            Console.Error.WriteLine($"downloader: '{parse.GetValue(Bind)}' is not an IP address.");
            return ExitCodes.Usage;
        }

        int? perFile = parse.GetValue(Connections);
        if (perFile < 1)
        {
            Console.Error.WriteLine("downloader: --connections must be at least 1.");
            return ExitCodes.Usage;
        }

        string? file = parse.GetValue(Output);
        var request = new DownloadRequest(uri!)
        {
            OutputPath = file == null ? null : Path.GetFullPath(file),
            Directory = Directory.GetCurrentDirectory(),
        };

        DownloadOptions options;
        try
        {
            options = Options(parse, perFile);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"downloader: {e.Message}");
            return ExitCodes.Usage;
        }

        using var session = new StreamSession(options);
        Uri local;
        try
        {
            local = await session.StartAsync(request, address!, parse.GetValue(Port), cancellationToken).ConfigureAwait(false);
        }
        catch (DownloadException e)
        {
            Console.Error.WriteLine("downloader: " + e.Message);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Cancelled;
        }

        Console.Out.WriteLine(local.AbsoluteUri);
        Console.Out.Flush();
        Console.Error.WriteLine($"Serving {session.Download!.Path} at {local}; Ctrl+C stops.");
        return await ServeAsync(session, parse.GetValue(Discard), parse.GetValue(Finish), cancellationToken).ConfigureAwait(false);
    }

    // The rule and the defaults of every download: the engine's, through ConnectionPolicy, so an explicit number is not
    // capped by a per-host default the user never set; then the company-network options.
    private static DownloadOptions Options(ParseResult parse, int? perFile) =>
        NetworkSetup.Apply(
            ConnectionPolicy.Apply(new DownloadOptions(), perFile, total: null, perHost: null, singleUrl: true),
            Network.Read(parse));

    private static async Task<int> ServeAsync(StreamSession session, bool drop, bool finish, CancellationToken cancellationToken)
    {
        try
        {
            await session.Ended.WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            if (session.State == StreamState.Serving)
            {
                Console.Error.WriteLine("Download complete; still serving until Ctrl+C.");
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        // The session's state says how it ended; the exit code follows from it alone.
        if (session.State is StreamState.Serving or StreamState.Suspended && !drop && finish && !session.Ended.IsCompleted)
        {
            session.Finish();
            Console.Error.WriteLine("Finishing the download...");
            await session.Ended.ConfigureAwait(false);
        }
        else
        {
            session.Stop(drop);
        }

        DownloadResult result = await session.Ended.ConfigureAwait(false);
        switch (session.State)
        {
            case StreamState.Failed:
                Console.Error.WriteLine("downloader: the download failed: " + session.Error);
                return ExitCodes.Failed;
            case StreamState.Completed:
                return ExitCodes.Success;
            default:
                return result.Status is DownloadStatus.Completed or DownloadStatus.Skipped ? ExitCodes.Success : ExitCodes.Cancelled;
        }
    }
}
