namespace Downloader.Core.Results;

/// <summary>What a download learned before its transfer began, or that it needs none: enough for a stream to start serving.</summary>
public sealed record ProbeInfo
{
    /// <summary>The remote size, or -1 when the server did not say.</summary>
    public long Length { get; init; } = -1;

    public string? ContentType { get; init; }

    /// <summary>The final path of a download to a file; null in memory.</summary>
    public string? Path { get; init; }

    /// <summary>
    /// The download ended without a transfer, its file complete at <see cref="Path"/> (found unchanged): there is nothing
    /// to wait for, and the file can be read whole. A failure faults the task instead, and so does an item another
    /// download holds (it is not complete here yet).
    /// </summary>
    public bool EndedWithoutTransfer { get; init; }
}
