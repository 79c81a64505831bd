using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Downloader.Core.Http;

namespace Downloader.Core.Queue;

/// <summary>
/// The unattended run's report: one JSON line per finished or failed entry (time, id, URL with any password
/// redacted, path, size, hash, status, error), appended to <c>queue.log</c> by the worker, the log's one writer.
/// </summary>
internal static class QueueLog
{
    public static void Append(QueueFolder folder, QueueEntry entry, Results.DownloadResult result)
    {
        string line = FlatJson.Write(new KeyValuePair<string, object?>[]
        {
            new("time", JsonFields.Time(DateTimeOffset.UtcNow)),
            new("id", entry.Id),
            new("url", UserInfo.Redact(new Uri(entry.Url))),
            new("path", result.Path ?? entry.Path),
            new("size", result.Bytes),
            new("hash", result.Hash),
            new("hashAlgorithm", result.HashAlgorithm),
            new("status", result.Status.ToString()),
            new("error", result.Error),
        }) + "\n";
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        using var stream = new FileStream(folder.Log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        stream.Write(bytes, 0, bytes.Length);
    }
}
