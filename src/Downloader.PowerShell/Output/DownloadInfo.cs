using System;
using Downloader.Core.Sessions;
using Downloader.PowerShell.Jobs;

namespace Downloader.PowerShell.Output;

/// <summary>What Get-Download writes: one download job at one instant.</summary>
public sealed class DownloadInfo
{
    internal DownloadInfo(DownloaderJob job, SessionSnapshot snapshot)
    {
        Id = job.Id;
        Name = job.Name;
        State = snapshot.State.ToString();
        Files = snapshot.Total;
        Completed = snapshot.Completed;
        Failed = snapshot.Failed;
        Active = snapshot.Active.Count;
        BytesReceived = snapshot.BytesReceived;
        TotalBytes = snapshot.TotalBytes;
        PercentComplete = snapshot.PercentComplete;
        BytesPerSecond = snapshot.BytesPerSecond;
        Eta = snapshot.Eta;
        Job = job;
        if (job is DownloadJob download)
        {
            Core.Transfer.LiveLimits limits = download.Session.Limits;
            Priority = (Commands.DownloadPriority)limits.Priority;
            MaximumBytesPerSecond = limits.MaximumBytesPerSecond;
            ConnectionsPerFile = limits.ConnectionsPerFile;
            Threads = limits.Threads;
        }
    }

    public int Id { get; }

    public string Name { get; }

    public string State { get; }

    public int Files { get; }

    public int Completed { get; }

    public int Failed { get; }

    public int Active { get; }

    public long BytesReceived { get; }

    /// <summary>-1 while some size is unknown.</summary>
    public long TotalBytes { get; }

    /// <summary>0 to 100, or -1 while unknown.</summary>
    public double PercentComplete { get; }

    public double BytesPerSecond { get; }

    public TimeSpan? Eta { get; }

    /// <summary>The priority in effect (Set-Download changes it); null for a stream.</summary>
    public Commands.DownloadPriority? Priority { get; }

    /// <summary>The rate cap in effect, 0 for none; null for a stream.</summary>
    public long? MaximumBytesPerSecond { get; }

    /// <summary>The connections one file may use now; null for a stream.</summary>
    public int? ConnectionsPerFile { get; }

    /// <summary>The connections the download may use at once, across its files; null without such a limit.</summary>
    public int? Threads { get; }

    /// <summary>The job itself, for Receive-Job, Wait-Job and the other job cmdlets.</summary>
    public DownloaderJob Job { get; }
}
