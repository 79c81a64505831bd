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

    /// <summary>
    /// The options a resume from disk needs that are not secret: the user agent and the request headers that carry no
    /// credential (<see cref="Http.CredentialHeaders"/>). Secrets are given again by the user.
    /// </summary>
    public string? UserAgent { get; init; }

    public System.Collections.Generic.IReadOnlyDictionary<string, string> Headers { get; init; } =
        new System.Collections.Generic.Dictionary<string, string>();

    /// <summary>True when both describe the same version of the same remote file.</summary>
    public bool Matches(Uri url, long length, string? etag, DateTimeOffset? lastModified)
    {
        // User info is not part of the identity: the state file keeps the URL with its password redacted.
        if (Http.UserInfo.Strip(Url) != Http.UserInfo.Strip(url) || Length != length)
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
