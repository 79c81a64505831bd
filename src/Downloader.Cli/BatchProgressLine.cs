using System;
using System.IO;
using System.Linq;
using System.Threading;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.Core.Formatting;
using Downloader.Core.Results;

namespace Downloader.Cli;

/// <summary>A status line on a terminal, redrawn four times a second: one bar for a single file, counts for a batch.</summary>
internal sealed class BatchProgressLine : IDisposable
{
    private readonly BatchRunner _runner;
    private readonly BatchSummary _summary;
    private readonly TextWriter _writer;
    private readonly Timer _timer;
    private readonly object _gate = new();

    public BatchProgressLine(BatchRunner runner, BatchSummary summary, TextWriter writer)
    {
        _runner = runner;
        _summary = summary;
        _writer = writer;
        _timer = new Timer(_ => Draw(), null, 250, 250);
    }

    public void Clear()
    {
        lock (_gate)
        {
            _writer.Write("\r\u001b[K");
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Draw()
    {
        var active = _runner.Active.ToList();
        string line = active.Count == 1 && _summary.Completed + _summary.Failed + _summary.Skipped == 0
            ? ProgressBar.Render(active[0].GetProgress())
            : $"{_summary.Completed + _summary.Skipped} done, {_summary.Failed} failed, {active.Count} active, " +
              $"{ByteSize.FormatSpeed(active.Sum(d => d.GetProgress().BytesPerSecond))}";
        lock (_gate)
        {
            _writer.Write("\r" + line + "\u001b[K");
        }
    }
}
