using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Planning;

namespace Downloader.Core.Streaming;

/// <summary>
/// Reads a file that is still downloading, at any offset: bytes already on disk come at once; for others it moves
/// the play head there, pulls every connection over if none is fetching nearby (a seek), and waits. Nothing is kept
/// in memory beyond the caller's buffer, and nothing fetched is fetched again: it is all in the part file.
/// </summary>
public sealed class StreamingSource
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PreemptCooldown = TimeSpan.FromMilliseconds(250);
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _lastPreempt = long.MinValue / 2;
    private readonly FileDownload _download;
    private readonly StreamingSelector _selector;
    private readonly long _probedLength;

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

            SegmentMap? map = _download.Map;
            if (map != null && !map.IsBeingFetchedNear(offset, _selector.PieceSize) && PreemptAllowed())
            {
                // A seek: no connection is near the bytes the player wants, so all of them come over, and choose
                // again among every active reader.
                map.Preempt();
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

        SegmentMap? map = _download.Map;
        return map != null
            ? map.Completed().ContiguousFrom(offset)
            : Math.Max(0, _download.GetProgress().BytesReceived - offset);
    }

    private int ReadFile(long offset, byte[] buffer, int count)
    {
        string path = _download.Path!;
        string part = path + Storage.PartFile.Extension;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            string source = File.Exists(part) ? part : path;
            try
            {
                using var stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
                stream.Seek(offset, SeekOrigin.Begin);
                int total = 0;
                while (total < count)
                {
                    int n = stream.Read(buffer, total, count - total);
                    if (n == 0)
                    {
                        break;
                    }

                    total += n;
                }

                return total;
            }
            catch (FileNotFoundException)
            {
                // Renamed from .part to its final name between the check and the open: look again.
            }
        }

        throw new IOException($"'{path}' disappeared while being streamed.");
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
