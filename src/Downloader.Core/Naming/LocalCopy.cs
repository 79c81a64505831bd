using System;
using System.IO;
using Downloader.Core.Probing;
using Downloader.Core.Storage;

namespace Downloader.Core.Naming;

/// <summary>What a file already at the destination is, compared with what the server has now.</summary>
internal enum LocalCopyVerdict
{
    /// <summary>This version, whole: skip it.</summary>
    Unchanged,

    /// <summary>Dated as this version but not its bytes (truncated, overwritten): download it again in its place.</summary>
    Damaged,

    /// <summary>Another version: kept, and the new one gets a name of its own.</summary>
    Other,
}

/// <summary>
/// The one definition of "unchanged": the date of this version (the server's Last-Modified, which a download stamps on
/// its file, or a 304), the remote length unless the body is decoded (an encoded length says nothing of the decoded
/// size), and the expected hash when there is one. A date alone proves nothing: a file cut short keeps its date. Nor
/// does a size: a file renamed without a flush before a power loss may keep name, size and date and lose its bytes, so
/// without a hash such a file (see <see cref="UnflushedFolders"/>: renamed unflushed in an earlier boot, after that
/// boot's last confirmed run end) is damaged.
/// </summary>
internal static class LocalCopy
{
    /// <param name="notModified">The server answered 304 to "changed since the file's date?".</param>
    /// <param name="decoded">The body is decoded when saved, so its remote length is not the file's.</param>
    /// <param name="expected">The hash the file must have, if any.</param>
    /// <param name="unflushed">Without a hash to prove it, a file renamed unflushed before a restart is not trusted.</param>
    public static LocalCopyVerdict Judge(string path, ProbeResult probe, bool notModified, bool decoded, ExpectedHash? expected, UnflushedFolders unflushed)
    {
        var info = new FileInfo(path);
        bool sameDate = notModified ||
            (probe.LastModified is DateTimeOffset modified && Math.Abs((info.LastWriteTimeUtc - modified.UtcDateTime).TotalSeconds) < 1);
        if (!sameDate)
        {
            return LocalCopyVerdict.Other;
        }

        bool sameSize = decoded || probe.Length < 0 || info.Length == probe.Length;
        bool sameHash = sameSize && (expected == null ? !unflushed.MayBeLost(path) : expected.Matches(FileHasher.OfFile(path, expected.Algorithm)));
        return sameHash ? LocalCopyVerdict.Unchanged : LocalCopyVerdict.Damaged;
    }
}
