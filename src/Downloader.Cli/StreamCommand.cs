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
    public static Command Build()
    {
        var url = new Argument<string>("url") { Description = "The media URL." };
        var port = new Option<int>("--port", "-p") { Description = "Local port (default: any free port)." };
        var bind = new Option<string>("--bind")
        {
            Description = "Address to listen on. Only 127.0.0.1 unless you ask: another address exposes the file to your network.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Where the file goes (default: the server's name in the current folder)." };
        var connections = new Option<int>("--connections", "-x") { Description = "Connections.", DefaultValueFactory = _ => 8 };
        var discard = new Option<bool>("--discard") { Description = "On Ctrl+C, delete what was downloaded (default: keep it for resuming)." };
        var finish = new Option<bool>("--finish") { Description = "On Ctrl+C, stop serving but finish the download before exiting." };
        var command = new Command("stream", "Watch while downloading: serve the file to a media player over local HTTP, with seeking.")
        {
            url, port, bind, output, connections, discard, finish,
        };
        var network = new NetworkOptions();
        network.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!UrlParser.TryParse(parse.GetValue(url)!, out Uri? uri, out string? error))
            {
                Console.Error.WriteLine($"downloader: '{Downloader.Core.Http.UserInfo.Redact(parse.GetValue(url) ?? string.Empty)}': {error}");
                return ExitCodes.Usage;
            }

            if (!IPAddress.TryParse(parse.GetValue(bind), out IPAddress? address))
            {
                Console.Error.WriteLine($"downloader: '{parse.GetValue(bind)}' is not an IP address.");
                return ExitCodes.Usage;
            }

            string? file = parse.GetValue(output);
            var request = new DownloadRequest(uri!)
            {
                OutputPath = file == null ? null : Path.GetFullPath(file),
                Directory = Directory.GetCurrentDirectory(),
            };
            DownloadOptions options;
            try
            {
                options = NetworkSetup.Apply(new DownloadOptions { MaxConnectionsPerFile = parse.GetValue(connections) }, network.Read(parse));
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
                local = await session.StartAsync(request, address!, parse.GetValue(port), cancellationToken).ConfigureAwait(false);
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
            bool drop = parse.GetValue(discard);
            if (session.State is StreamState.Serving or StreamState.Suspended && !drop && parse.GetValue(finish) && !session.Ended.IsCompleted)
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
        });
        return command;
    }
}
