using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Pipeline;
using Downloader.Core.Storage;

namespace Downloader.Core.Streaming;

/// <summary>
/// Reads a file that is still downloading, at any offset: bytes already on disk come at once; for others it moves
/// the play head there, pulls every connection over if none is fetching nearby (a seek), and waits. Nothing is kept
/// in memory beyond the caller's buffer, and nothing fetched is fetched again: it is all in the part file, read
/// through one open reader (a new one only when a restart replaced the part file).
/// </summary>
public sealed class StreamingSource : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PreemptCooldown = TimeSpan.FromMilliseconds(250);
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _lastPreempt = long.MinValue / 2;
    private readonly FileDownload _download;
    private readonly StreamingSelector _selector;
    private readonly long _probedLength;
    private readonly object _readerGate = new();
    private readonly System.Collections.Generic.List<PartFileReader> _readers = new();
    private int _readerFor = -1;

    /// <param name="probedLength">The size the probe gave: all there is of a file that was already complete.</param>
    public StreamingSource(FileDownload download, StreamingSelector selector, long probedLength = -1)
    {
        _download = download;
        _selector = selector;
        _probedLength = probedLength;
    }

    /// <summary>The transfer's length; for a file already complete (no transfer), the probe's.</summary>
    public long Length => _download.TotalBytes is long total and >= 0 ? total : _probedLength;

    /// <summary>The origin's type, unless it is a generic one and the file's extension says better (players care).</summary>
    public string ContentType
    {
        get
        {
            string? remote = _download.ContentType?.Split(';')[0].Trim();
            bool generic = remote == null || remote is "application/octet-stream" or "binary/octet-stream" or "text/plain";
            return generic ? GuessType(_download.Path) : _download.ContentType!;
        }
    }

    /// <summary>Starts following one reader (one request of a player); pass the number to <see cref="ReadAsync"/>.</summary>
    public int OpenReader() => _selector.Heads.Open();

    /// <summary>The reader is done: its position no longer pulls connections.</summary>
    public void CloseReader(int reader) => _selector.Heads.Close(reader);

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="offset"/>, waiting until at least one is there.</summary>
    public async Task<int> ReadAsync(int reader, long offset, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Each pass also tells the selector this reader is still waiting here, so it keeps pulling connections.
            _selector.Heads.Move(reader, offset);
            cancellationToken.ThrowIfCancellationRequested();
            long available = Available(offset);
            if (available > 0)
            {
                int n = (int)Math.Min(count, available);
                return ReadFile(offset, buffer, n);
            }

            if (_download.Completion.IsCompleted && _download.Completion.Result.Status != DownloadStatus.Completed)
            {
                throw new IOException($"The download stopped: {_download.Completion.Result.Error}");
            }

            ITransfer? transfer = _download.Transfer;
            if (transfer != null && !transfer.IsFetchingNear(offset, _selector.PieceSize) && PreemptAllowed())
            {
                // A seek: no connection is near the bytes the player wants, so all of them come over, and choose
                // again among every active reader.
                transfer.Regroup();
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    // Connections need a moment to settle on their new pieces after a preemption; preempting again before that would
    // only drop them again, and two waiting readers would take the connections from each other forever.
    private bool PreemptAllowed()
    {
        long now = _clock.ElapsedMilliseconds;
        long last = Interlocked.Read(ref _lastPreempt);
        return now - last >= PreemptCooldown.TotalMilliseconds && Interlocked.CompareExchange(ref _lastPreempt, now, last) == last;
    }

    private long Available(long offset)
    {
        if (_download.State == DownloadState.Completed)
        {
            return Math.Max(0, Length - offset);
        }

        return _download.Transfer?.ContiguousFrom(offset) ?? 0;
    }

    private int ReadFile(long offset, byte[] buffer, int count) => Reader().Read(offset, buffer, count);

    private PartFileReader Reader()
    {
        lock (_readerGate)
        {
            // A restart threw the part file away and began another: bytes from the old one would be another version.
            int partFiles = _download.PartFiles;
            if (_readers.Count == 0 || _readerFor != partFiles)
            {
                _readers.Add(_download.OpenReader());
                _readerFor = partFiles;
            }

            return _readers[_readers.Count - 1];
        }
    }

    /// <summary>Closes the file; called once no response reads any more.</summary>
    public void Dispose()
    {
        lock (_readerGate)
        {
            // Old readers are kept until now: a response may have been reading one when a restart replaced it.
            _readers.ForEach(r => r.Dispose());
            _readers.Clear();
        }
    }

    private static string GuessType(string? path) => Path.GetExtension(path ?? string.Empty).ToLowerInvariant() switch
    {
        ".mp4" or ".m4v" => "video/mp4",
        ".webm" => "video/webm",
        ".mkv" => "video/x-matroska",
        ".mp3" => "audio/mpeg",
        ".ogg" => "audio/ogg",
        _ => "application/octet-stream",
    };
}
