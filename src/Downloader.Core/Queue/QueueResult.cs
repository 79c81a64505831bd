using System;
using System.Collections.Generic;
using Downloader.Core.Results;

namespace Downloader.Core.Queue;

/// <summary>
/// A finished entry's result, kept in its file so any session can ask for the same result Start-Download writes. The
/// URL is the entry's; what is kept here is everything else a <see cref="DownloadResult"/> reports about a file.
/// </summary>
public sealed record QueueResult
{
    public DownloadStatus Status { get; init; }

    public string? Path { get; init; }

    public string? FileName { get; init; }

    public long Bytes { get; init; }

    public string? FinalUrl { get; init; }

    public string? ContentType { get; init; }

    public string? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    public string? Sha256 { get; init; }

    public string? Hash { get; init; }

    public string? HashAlgorithm { get; init; }

    public DateTimeOffset StartTime { get; init; }

    public DateTimeOffset EndTime { get; init; }

    public int Connections { get; init; }

    public int Retries { get; init; }

    public bool Resumed { get; init; }

    public string? Reason { get; init; }

    public string? Error { get; init; }

    public string? ErrorKind { get; init; }

    public int? HttpStatus { get; init; }

    public string? HttpVersion { get; init; }

    public static QueueResult From(DownloadResult r) => new()
    {
        Status = r.Status,
        Path = r.Path,
        FileName = r.FileName,
        Bytes = r.Bytes,
        FinalUrl = r.FinalUrl == null ? null : Http.UserInfo.Redact(r.FinalUrl),
        ContentType = r.ContentType,
        ETag = r.ETag,
        LastModified = r.LastModified,
        Sha256 = r.Sha256,
        Hash = r.Hash,
        HashAlgorithm = r.HashAlgorithm,
        StartTime = r.StartTime,
        EndTime = r.EndTime,
        Connections = r.Connections,
        Retries = r.Retries,
        Resumed = r.Resumed,
        Reason = r.Reason,
        Error = r.Error == null ? null : Http.UserInfo.Redact(r.Error),
        ErrorKind = r.ErrorKind?.ToString(),
        HttpStatus = r.HttpStatus,
        HttpVersion = r.HttpVersion,
    };

    /// <summary>The engine's result again, as the front ends turn it into their records.</summary>
    public DownloadResult ToDownloadResult(Uri url) => new()
    {
        Url = url,
        Input = url.AbsoluteUri,
        FinalUrl = FinalUrl == null ? null : new Uri(FinalUrl),
        Path = Path,
        FileName = FileName,
        Bytes = Bytes,
        ContentType = ContentType,
        ETag = ETag,
        LastModified = LastModified,
        Sha256 = Sha256,
        Hash = Hash,
        HashAlgorithm = HashAlgorithm,
        StartTime = StartTime,
        EndTime = EndTime,
        Connections = Connections,
        Retries = Retries,
        Resumed = Resumed,
        Status = Status,
        Reason = Reason,
        Error = Error,
        ErrorKind = ErrorKind != null && Enum.TryParse(ErrorKind, out DownloadErrorKind kind) ? kind : null,
        HttpStatus = HttpStatus,
        HttpVersion = HttpVersion,
    };

    internal IEnumerable<KeyValuePair<string, object?>> Fields()
    {
        yield return new("result.status", Status.ToString());
        yield return new("result.path", Path);
        yield return new("result.fileName", FileName);
        yield return new("result.bytes", Bytes);
        yield return new("result.finalUrl", FinalUrl);
        yield return new("result.contentType", ContentType);
        yield return new("result.etag", ETag);
        yield return new("result.lastModified", JsonFields.Time(LastModified));
        yield return new("result.sha256", Sha256);
        yield return new("result.hash", Hash);
        yield return new("result.hashAlgorithm", HashAlgorithm);
        yield return new("result.startTime", JsonFields.Time(StartTime));
        yield return new("result.endTime", JsonFields.Time(EndTime));
        yield return new("result.connections", Connections);
        yield return new("result.retries", Retries);
        yield return new("result.resumed", Resumed);
        yield return new("result.reason", Reason);
        yield return new("result.error", Error);
        yield return new("result.errorKind", ErrorKind);
        yield return new("result.httpStatus", HttpStatus);
        yield return new("result.httpVersion", HttpVersion);
    }

    internal static QueueResult? Read(JsonFields f) => f.String("result.status") == null ? null : new QueueResult
    {
        Status = f.Enum("result.status", DownloadStatus.Failed),
        Path = f.String("result.path"),
        FileName = f.String("result.fileName"),
        Bytes = f.Long("result.bytes"),
        FinalUrl = f.String("result.finalUrl"),
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
        ErrorKind = f.String("result.errorKind"),
        HttpStatus = f.NullableLong("result.httpStatus") is long s ? (int)s : null,
        HttpVersion = f.String("result.httpVersion"),
    };
}
