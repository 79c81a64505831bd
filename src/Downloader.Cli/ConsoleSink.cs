using System;
using System.IO;
using Downloader.Core;
using Downloader.Core.Formatting;
using Downloader.Core.Results;
using Downloader.Core.Sessions;

namespace Downloader.Cli;

/// <summary>
/// Where the CLI's session writes: a status line on a terminal's stderr, one JSON line per item on stdout with
/// --json, the content itself on stdout with '-o -', and errors on stderr. Results arrive one at a time from the
/// session, progress from its ticker, so every write takes one lock and the status line is cleared before any
/// other output.
/// </summary>
internal sealed class ConsoleSink : IPipelineSink
{
    /// <summary>How often the status line is redrawn; the session throttles its progress records to this.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly DownloadCommandSettings _settings;
    private readonly bool _single;
    private readonly bool _drawProgress;
    private readonly object _gate = new();
    private readonly JsonLines _json = new();
    private bool _lineShown;

    /// <param name="single">One URL: its own bar and a line when it ends. Otherwise the batch's counts.</param>
    /// <param name="drawProgress">Draw the status line (stderr is a terminal and not --quiet).</param>
    public ConsoleSink(DownloadCommandSettings settings, bool single, bool drawProgress)
    {
        _settings = settings;
        _single = single;
        _drawProgress = drawProgress;
    }

    public void WriteResult(DownloadResult result)
    {
        lock (_gate)
        {
            Clear();
            WriteJson(result);
            if (result.Status == DownloadStatus.Completed && _settings.ToStdout)
            {
                using Stream stdout = Console.OpenStandardOutput();
                stdout.Write(result.Content!, 0, result.Content!.Length);
            }
            else if (_single && !_settings.Json && !_settings.Quiet)
            {
                string verb = result.Status == DownloadStatus.Skipped ? $"{result.Reason}, skipped" : $"{ByteSize.Format(result.Bytes)} in {result.Seconds:0.00} s";
                Console.Error.WriteLine($"{result.Path}: {verb}");
            }
            else if (result.Status == DownloadStatus.Skipped && result.Reason != "unchanged" && !_settings.Json && !_settings.Quiet)
            {
                // A batch names only the skips a user would not expect: a duplicate line, another process's item.
                Console.Error.WriteLine($"{result.Path ?? result.Input}: skipped, {result.Reason}");
            }
        }
    }

    public void WriteFailure(DownloadResult result)
    {
        lock (_gate)
        {
            Clear();
            WriteJson(result);
            Console.Error.WriteLine("downloader: " + result.Error);
        }
    }

    public void WriteCancelled(DownloadResult result)
    {
        lock (_gate)
        {
            Clear();
            WriteJson(result);
        }
    }

    public void WriteProgress(ProgressInfo progress)
    {
        if (!_drawProgress)
        {
            return;
        }

        // One URL shows its file's bar; a list shows the batch's (activity 0, the parent of every file's).
        bool batch = progress.ActivityId == ProgressReporter.BatchActivityId;
        if (batch == _single && !(batch && progress.IsCompleted))
        {
            return;
        }

        lock (_gate)
        {
            if (progress.IsCompleted)
            {
                Clear();
                return;
            }

            Console.Error.Write("\r" + ProgressBar.Render(progress) + "\u001b[K");
            _lineShown = true;
        }
    }

    /// <summary>The engine's own messages, e.g. a batch that stopped on an unexpected error.</summary>
    public void WriteVerbose(string message)
    {
        lock (_gate)
        {
            Clear();
            Console.Error.WriteLine("downloader: " + message);
        }
    }

    /// <summary>Removes the status line, so what follows starts on a clean line.</summary>
    public void ClearProgress()
    {
        lock (_gate)
        {
            Clear();
        }
    }

    private void Clear()
    {
        if (_lineShown)
        {
            Console.Error.Write("\r\u001b[K");
            _lineShown = false;
        }
    }

    private void WriteJson(DownloadResult result)
    {
        if (_settings.Json)
        {
            _json.Write(result);
        }
    }
}
