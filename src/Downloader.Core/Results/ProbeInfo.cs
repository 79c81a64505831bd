namespace Downloader.Core.Results;

/// <summary>What a download learned before its transfer began: enough for a stream to start serving.</summary>
public sealed record ProbeInfo
{
    /// <summary>The remote size, or -1 when the server did not say.</summary>
    public long Length { get; init; } = -1;

    public string? ContentType { get; init; }

    /// <summary>The final path of a download to a file; null in memory.</summary>
    public string? Path { get; init; }
}
