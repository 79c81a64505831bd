using System;
using Downloader.Core.Queue;

namespace Downloader.PowerShell.Output;

/// <summary>
/// One entry of the user's durable queue, as Start-Download -Persist and Get-Download -Persisted write it: the same
/// in every session and process, since it is read from the queue's files.
/// </summary>
public sealed class PersistedDownload
{
    internal PersistedDownload(QueueEntry entry, int liveWorkerPid)
    {
        Entry = entry;
        Id = entry.Id;
        Name = entry.Name;
        Url = entry.Url;
        State = QueueStatus.StateOf(entry, liveWorkerPid).ToString();
        Path = entry.Path ?? entry.OutputPath;
        Destination = entry.Directory;
        BytesReceived = entry.BytesReceived;
        TotalBytes = entry.TotalBytes;
        PercentComplete = entry.PercentComplete;
        BytesPerSecond = State == nameof(QueueEntryState.Running) ? entry.BytesPerSecond : 0;
        LastError = entry.LastError;
        WorkerPid = QueueStatus.WorkerOf(entry, liveWorkerPid);
        Updated = entry.Updated;
        MaximumBytesPerSecond = entry.Options.BytesPerSecond;
        ConnectionsPerFile = entry.Options.ConnectionsPerFile;
        Threads = entry.Options.TotalConnections > 0 ? entry.Options.TotalConnections : null;
        Priority = (Commands.DownloadPriority)entry.Options.Priority;
    }

    public int Id { get; }

    public string Name { get; }

    public string Url { get; }

    /// <summary>Queued, Running, Suspended, Completed or Failed.</summary>
    public string State { get; }

    /// <summary>The file, once the worker has chosen its name.</summary>
    public string? Path { get; }

    /// <summary>The folder the file goes to.</summary>
    public string Destination { get; }

    public long BytesReceived { get; }

    /// <summary>-1 while unknown.</summary>
    public long TotalBytes { get; }

    /// <summary>0 to 100, or -1 while unknown.</summary>
    public double PercentComplete { get; }

    public double BytesPerSecond { get; }

    public string? LastError { get; }

    /// <summary>The process working the entry; 0 unless it is Running.</summary>
    public int WorkerPid { get; }

    /// <summary>When the worker last wrote the entry.</summary>
    public DateTimeOffset Updated { get; }

    /// <summary>The entry's rate cap in bytes per second; 0 for none (Set-Download changes it).</summary>
    public long MaximumBytesPerSecond { get; }

    /// <summary>Most connections for its file; 0: the default.</summary>
    public int ConnectionsPerFile { get; }

    /// <summary>Connections in all; null when only the per-file limit applies.</summary>
    public int? Threads { get; }

    public Commands.DownloadPriority Priority { get; }

    internal QueueEntry Entry { get; }
}
