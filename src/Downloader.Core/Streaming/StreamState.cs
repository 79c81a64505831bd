namespace Downloader.Core.Streaming;

/// <summary>Where a watch-while-downloading session is. Completed, Stopped and Failed are final.</summary>
public enum StreamState
{
    NotStarted,

    /// <summary>Probing the remote file; nothing is served yet.</summary>
    Starting,

    /// <summary>The local URL answers players; the download runs (or has already completed).</summary>
    Serving,

    /// <summary>Serving what is on disk while the download is paused.</summary>
    Suspended,

    /// <summary>No longer serving; the download runs to the end in the background.</summary>
    Finishing,

    /// <summary>Finished in the background: the file is complete under its final name.</summary>
    Completed,

    /// <summary>Stopped by the user; the partial file is kept unless discarded.</summary>
    Stopped,

    /// <summary>Could not start, or the download failed: see <see cref="StreamSession.Error"/>.</summary>
    Failed,
}
