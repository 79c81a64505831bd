using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.Core.Queue;
using Downloader.Core.Transfer;

namespace Downloader.Cli;

/// <summary>Runs the `downloader queue` commands on the engine's <see cref="DownloadQueue"/>; printing only.</summary>
internal static class QueueActions
{
    public static async Task<int> Add(QueueAddSettings settings)
    {
        var queue = DownloadQueue.Open();
        DownloadOptions options = Options(settings);
        string directory = Path.GetFullPath(settings.Directory ?? ".");
        int refused = 0;
        await foreach (BatchItem item in Items(settings, directory).ConfigureAwait(false))
        {
            QueueEntry? entry = item.Request == null ? null : QueueEntry.For(item.Request, options, out string? refusal);
            if (entry == null)
            {
                Console.Error.WriteLine("downloader: " + (item.Error ?? PersistCheck.Refusal(item.Request!, options)));
                refused++;
                continue;
            }

            entry = queue.Add(entry);
            Console.WriteLine($"{entry.Id}\t{Core.Http.UserInfo.Redact(new Uri(entry.Url))}");
        }

        if (!settings.NoStart)
        {
            StartWorker(queue);
        }

        return refused == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }

    public static int List(bool json)
    {
        var queue = DownloadQueue.Open();
        int worker = queue.WorkerPid();
        foreach (QueueEntry e in queue.List())
        {
            QueueEntryState state = QueueStatus.StateOf(e, worker);
            if (json)
            {
                Console.WriteLine(EntryJson(e, state, QueueStatus.WorkerOf(e, worker)));
            }
            else
            {
                string percent = e.PercentComplete < 0 ? "?" : $"{e.PercentComplete:0}%";
                Console.WriteLine($"{e.Id,4}  {state,-9}  {percent,4}  {Core.Formatting.ByteSize.Format(e.BytesReceived),10}  {e.Name}{(e.LastError != null ? "  " + e.LastError : string.Empty)}");
            }
        }

        return ExitCodes.Success;
    }

    public static int Run(CancellationToken cancellationToken) => new QueueWorker(DownloadQueue.Open()).Run(cancellationToken);

    public static int Control(int id, QueueRequest request)
    {
        var queue = DownloadQueue.Open();
        if (QueueControl.Ask(queue, id, request, out string? error) == null)
        {
            Console.Error.WriteLine("downloader: " + error);
            return ExitCodes.Failed;
        }

        if (request == QueueRequest.Resume)
        {
            StartWorker(queue);
        }

        return ExitCodes.Success;
    }

    public static int Set(int id, LimitChange change)
    {
        if (QueueControl.Change(DownloadQueue.Open(), id, change, out string? error) == null)
        {
            Console.Error.WriteLine("downloader: " + error);
            return ExitCodes.Failed;
        }

        return ExitCodes.Success;
    }

    /// <summary>One line of `queue list --json`, written field by field (no reflection, so the CLI compiles ahead of time).</summary>
    private static string EntryJson(QueueEntry e, QueueEntryState state, int workerPid)
    {
        using var text = new MemoryStream();
        using (var w = new Utf8JsonWriter(text))
        {
            w.WriteStartObject();
            w.WriteNumber("id", e.Id);
            w.WriteString("url", e.Url);
            w.WriteString("path", e.Path ?? e.OutputPath);
            w.WriteString("name", e.Name);
            w.WriteString("state", state.ToString());
            w.WriteNumber("bytesReceived", e.BytesReceived);
            w.WriteNumber("totalBytes", e.TotalBytes);
            w.WriteNumber("bytesPerSecond", e.BytesPerSecond);
            w.WriteNumber("workerPid", workerPid);
            w.WriteString("lastError", e.LastError);
            w.WriteNumber("bytesPerSecondLimit", e.Options.BytesPerSecond);
            w.WriteNumber("connectionsPerFile", e.Options.ConnectionsPerFile);
            w.WriteNumber("totalConnections", e.Options.TotalConnections);
            w.WriteString("priority", e.Options.Priority.ToString());
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    /// <summary>This CLI again, as `queue run`: through dotnet when it runs as downloader.dll, else its own executable.</summary>
    private static void StartWorker(DownloadQueue queue)
    {
        string self = Environment.ProcessPath ?? "downloader";
        bool viaDotnet = Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var arguments = new List<string>();
        if (viaDotnet)
        {
            arguments.Add(Path.Combine(AppContext.BaseDirectory, "downloader.dll"));
        }

        arguments.AddRange(new[] { "queue", "run" });
        WorkerLauncher.EnsureRunning(queue, self, arguments);
    }

    private static DownloadOptions Options(QueueAddSettings settings)
    {
        var options = new DownloadOptions();
        if (settings.Connections is int perFile)
        {
            options = options with { MaxConnectionsPerFile = perFile };
        }

        return options with
        {
            MaxBytesPerSecond = settings.LimitRate,
            Priority = settings.Priority,
            ExistingFile = settings.Force ? ExistingFilePolicy.Overwrite : options.ExistingFile,
        };
    }

    private static async IAsyncEnumerable<BatchItem> Items(QueueAddSettings settings, string directory)
    {
        foreach (string url in settings.Urls)
        {
            yield return UrlParser.TryParse(url, out Uri? uri, out string? error)
                ? BatchItem.Valid(url, new DownloadRequest(uri!) { Directory = directory })
                : BatchItem.Invalid(url, $"'{Core.Http.UserInfo.Redact(url)}': {error}");
        }

        if (settings.Input != null)
        {
            using TextReader reader = settings.Input == "-" ? Console.In : new StreamReader(settings.Input);
            await foreach (BatchItem item in UrlListReader.ReadAsync(reader, directory).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }
}
