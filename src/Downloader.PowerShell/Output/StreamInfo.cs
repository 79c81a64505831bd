using System;
using Downloader.PowerShell.Jobs;

namespace Downloader.PowerShell.Output;

/// <summary>What Start-DownloadStream writes: the local URL to give a player, and the job that serves it.</summary>
public sealed class StreamInfo
{
    internal StreamInfo(Uri url, string? path, Uri source, StreamJob job)
    {
        Url = url;
        Path = path;
        Source = source;
        Job = job;
    }

    /// <summary>Open this in mpv, VLC or a browser.</summary>
    public Uri Url { get; }

    /// <summary>Where the file is being downloaded.</summary>
    public string? Path { get; }

    public Uri Source { get; }

    public StreamJob Job { get; }
}
