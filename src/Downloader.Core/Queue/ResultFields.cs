using System;
using System.Collections.Generic;
using Downloader.Core.Results;

namespace Downloader.Core.Queue;

/// <summary>
/// A finished entry's <see cref="DownloadResult"/> in its file (<c>result.*</c> fields), so any session gets back the
/// result Start-Download writes. What is kept is what describes the file; not its content nor its response headers,
/// and any password in a URL or an error is redacted first (<see cref="Redacted"/>).
/// </summary>
internal static class ResultFields
{
    /// <summary>The result as a queue keeps it: passwords in its URLs and error redacted, no content, no headers.</summary>
    public static DownloadResult Redacted(DownloadResult r) => r with
    {
        FinalUrl = r.FinalUrl == null ? null : Http.UserInfo.Redacted(r.FinalUrl),
        Error = r.Error == null ? null : Http.UserInfo.Redact(r.Error),
        Content = null,
        Headers = new Dictionary<string, string>(),
    };

    public static IEnumerable<KeyValuePair<string, object?>> Write(DownloadResult r)
    {
        yield return new("result.status", r.Status.ToString());
        yield return new("result.path", r.Path);
        yield return new("result.fileName", r.FileName);
        yield return new("result.bytes", r.Bytes);
        yield return new("result.finalUrl", r.FinalUrl?.AbsoluteUri);
        yield return new("result.contentType", r.ContentType);
        yield return new("result.etag", r.ETag);
        yield return new("result.lastModified", JsonFields.Time(r.LastModified));
        yield return new("result.sha256", r.Sha256);
        yield return new("result.hash", r.Hash);
        yield return new("result.hashAlgorithm", r.HashAlgorithm);
        yield return new("result.startTime", JsonFields.Time(r.StartTime));
        yield return new("result.endTime", JsonFields.Time(r.EndTime));
        yield return new("result.connections", r.Connections);
        yield return new("result.retries", r.Retries);
        yield return new("result.resumed", r.Resumed);
        yield return new("result.reason", r.Reason);
        yield return new("result.error", r.Error);
        yield return new("result.errorKind", r.ErrorKind?.ToString());
        yield return new("result.httpStatus", r.HttpStatus);
        yield return new("result.httpVersion", r.HttpVersion);
    }

    /// <summary>The result of the entry for <paramref name="url"/>; null when the entry has none yet.</summary>
    public static DownloadResult? Read(JsonFields f, Uri url) => f.String("result.status") == null ? null : new DownloadResult
    {
        Url = url,
        Input = url.AbsoluteUri,
        Status = f.Enum("result.status", DownloadStatus.Failed),
        Path = f.String("result.path"),
        FileName = f.String("result.fileName"),
        Bytes = f.Long("result.bytes"),
        FinalUrl = f.String("result.finalUrl") is string final ? new Uri(final) : null,
        ContentType = f.String("result.contentType"),
        ETag = f.String("result.etag"),
        LastModified = f.Time("result.lastModified"),
        Sha256 = f.String("result.sha256"),
        Hash = f.String("result.hash"),
        HashAlgorithm = f.String("result.hashAlgorithm"),
        StartTime = f.Time("result.startTime") ?? default,
        EndTime = f.Time("result.endTime") ?? default,
        Connections = (int)f.Long("result.connections"),
        Retries = (int)f.Long("result.retries"),
        Resumed = f.Bool("result.resumed"),
        Reason = f.String("result.reason"),
        Error = f.String("result.error"),
        ErrorKind = f.String("result.errorKind") is string kind && Enum.TryParse(kind, out DownloadErrorKind parsed) ? parsed : null,
        HttpStatus = f.NullableLong("result.httpStatus") is long status ? (int)status : null,
        HttpVersion = f.String("result.httpVersion"),
    };
}
