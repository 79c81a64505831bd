namespace Downloader.Core.Priority;

/// <summary>What <see cref="BackgroundPacer"/> drives: a rate and a connection count, and the bytes read so far.</summary>
internal interface IPacedLimits
{
    /// <summary>The connections a file may use as the user set them: the controller's ceiling.</summary>
    int ConnectionsPerFile { get; }

    /// <summary>Every byte read by every connection of the client so far.</summary>
    long BytesRead { get; }

    /// <summary>Sets the controller's rate (0: none) and connections per file (int.MaxValue: none).</summary>
    void Pace(double bytesPerSecond, int connections);
}
