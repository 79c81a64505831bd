using System;
using System.Collections.Generic;
using System.Linq;

namespace Downloader.Core.Queue;

/// <summary>
/// One queued item: what to fetch and where (as data, see <see cref="PersistedOptions"/>), and what the worker last
/// wrote about it. Immutable: a change is a new entry written over the old file by <see cref="DownloadQueue"/>.
/// </summary>
public sealed record QueueEntry
{
    public int Id { get; init; }

    /// <summary>The URL; never with a password (<see cref="PersistCheck"/> refuses those).</summary>
    public string Url { get; init; } = string.Empty;

    public IReadOnlyList<string> Mirrors { get; init; } = Array.Empty<string>();

    /// <summary>The destination folder, absolute.</summary>
    public string Directory { get; init; } = string.Empty;

    /// <summary>An explicit output file, absolute; null: the server's name in <see cref="Directory"/>.</summary>
    public string? OutputPath { get; init; }

    public string? FileName { get; init; }

    /// <summary>ALGORITHM:HEX, or null.</summary>
    public string? ExpectedHash { get; init; }

    public PersistedOptions Options { get; init; } = new();

    public QueueEntryState State { get; init; }

    public long BytesReceived { get; init; }

    /// <summary>-1 while unknown.</summary>
    public long TotalBytes { get; init; } = -1;

    public double BytesPerSecond { get; init; }

    /// <summary>The file being written, once the worker has chosen it.</summary>
    public string? Path { get; init; }

    public string? LastError { get; init; }

    /// <summary>The worker that last ran the entry (0: none yet).</summary>
    public int WorkerPid { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated { get; init; }

    /// <summary>Set once the entry is Completed or Failed.</summary>
    public Results.DownloadResult? Result { get; init; }

    /// <summary>What a user calls it: the file's name once known, else the URL's last segment.</summary>
    public string Name =>
        System.IO.Path.GetFileName(Path ?? OutputPath ?? string.Empty) is { Length: > 0 } file ? file
        : FileName ?? (Uri.TryCreate(Url, UriKind.Absolute, out Uri? u) ? System.IO.Path.GetFileName(u.AbsolutePath) : Url);

    /// <summary>0 to 100, or -1 while the size is unknown.</summary>
    public double PercentComplete => TotalBytes > 0 ? Math.Min(100.0, BytesReceived * 100.0 / TotalBytes) : TotalBytes == 0 ? 100 : -1;

    public bool IsFinished => State is QueueEntryState.Completed or QueueEntryState.Failed;

    /// <summary>The entry as the engine's request.</summary>
    public DownloadRequest ToRequest() => new(new Uri(Url))
    {
        Mirrors = Mirrors.Select(m => new Uri(m)).ToArray(),
        Directory = Directory,
        OutputPath = OutputPath,
        FileName = FileName,
        ExpectedHash = ExpectedHash == null ? null : Core.ExpectedHash.Parse(ExpectedHash),
    };

    /// <summary>A new entry for a request (its Id given by the queue); null with <paramref name="refusal"/> when it holds what a queue cannot keep.</summary>
    public static QueueEntry? For(DownloadRequest request, DownloadOptions options, out string? refusal)
    {
        refusal = PersistCheck.Refusal(request, options);
        return refusal != null ? null : new QueueEntry
        {
            Url = request.Uri.AbsoluteUri,
            Mirrors = request.Mirrors.Select(m => m.AbsoluteUri).ToArray(),
            Directory = System.IO.Path.GetFullPath(request.Directory),
            OutputPath = request.OutputPath == null ? null : System.IO.Path.GetFullPath(request.OutputPath),
            FileName = request.FileName,
            ExpectedHash = request.ExpectedHash?.ToString(),
            Options = PersistedOptions.From(options),
            Created = DateTimeOffset.UtcNow,
            Updated = DateTimeOffset.UtcNow,
        };
    }
}
