using System;
using Downloader.Core.Planning;

namespace Downloader.Core.Resume;

/// <summary>What a state file says: which remote entity the part file holds bytes of, and which bytes are durable.</summary>
public sealed class ResumeState
{
    public Uri Url { get; init; } = null!;

    public long Length { get; init; }

    public string? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    public RangeSet Completed { get; init; } = new();

    /// <summary>True when both describe the same version of the same remote file.</summary>
    public bool Matches(Uri url, long length, string? etag, DateTimeOffset? lastModified)
    {
        if (Url != url || Length != length)
        {
            return false;
        }

        // Without a validator we cannot tell two versions of equal size apart, so we do not splice.
        if (ETag == null && LastModified == null)
        {
            return false;
        }

        return ETag == etag && LastModified == lastModified;
    }
}
