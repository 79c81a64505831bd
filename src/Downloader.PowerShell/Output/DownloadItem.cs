using System;
using System.Collections.Generic;
using System.Linq;
using Downloader.Core;
using Downloader.Core.Results;

namespace Downloader.PowerShell.Output;

/// <summary>
/// What Start-Download writes for each item. Defined in the module assembly, which PowerShell loads in its default
/// context, so the format file can name it; it copies the engine's result once.
/// </summary>
public sealed class DownloadItem
{
    internal DownloadItem(DownloadResult result)
    {
        Url = result.Url;
        FinalUrl = result.FinalUrl;
        Path = result.Path;
        Name = result.FileName;
        Size = result.Bytes;
        ContentType = result.ContentType;
        ETag = result.ETag;
        LastModified = result.LastModified;
        Sha256 = result.Sha256;
        Hash = result.Hash;
        HashAlgorithm = result.HashAlgorithm;
        StartTime = result.StartTime;
        EndTime = result.EndTime;
        Duration = result.EndTime - result.StartTime;
        Connections = result.Connections;
        Sources = result.Sources.Select(s => new DownloadSource(s)).ToArray();
        Retries = result.Retries;
        Resumed = result.Resumed;
        Status = result.Status.ToString();
        Reason = result.Reason;
        HttpVersion = result.HttpVersion;
        Headers = result.Headers;
        Content = result.Content;
    }

    public Uri? Url { get; }

    public Uri? FinalUrl { get; }

    public string? Path { get; }

    public string? Name { get; }

    public long Size { get; }

    public string? ContentType { get; }

    public string? ETag { get; }

    public DateTimeOffset? LastModified { get; }

    /// <summary>The SHA-256, when that is the hash computed or verified; kept for scripts written before -Hash.</summary>
    public string? Sha256 { get; }

    /// <summary>The content's hash (lower-case hex) when one was computed or verified, in <see cref="HashAlgorithm"/>.</summary>
    public string? Hash { get; }

    /// <summary>SHA256, SHA512, SHA384, SHA1 or MD5, as Get-FileHash names them.</summary>
    public string? HashAlgorithm { get; }

    public DateTimeOffset StartTime { get; }

    public DateTimeOffset EndTime { get; }

    public TimeSpan Duration { get; }

    public double BytesPerSecond => Duration.TotalSeconds > 0 ? Size / Duration.TotalSeconds : 0;

    public int Connections { get; }

    /// <summary>The URL and its mirrors, each with the bytes it gave (and why it was dropped, if it was).</summary>
    public DownloadSource[] Sources { get; }

    public int Retries { get; }

    public bool Resumed { get; }

    /// <summary>Completed or Skipped.</summary>
    public string Status { get; }

    /// <summary>Why a Skipped item was skipped: unchanged, in progress in process N, duplicate of line N.</summary>
    public string? Reason { get; }

    /// <summary>The protocol the server answered with: HTTP/2 or HTTP/1.1.</summary>
    public string? HttpVersion { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The bytes, for -InMemory downloads only.</summary>
    public byte[]? Content { get; }

    public static string FormatSize(long bytes) => Downloader.Core.Formatting.ByteSize.Format(bytes);

    public static string FormatSpeed(double bytesPerSecond) => Downloader.Core.Formatting.ByteSize.FormatSpeed(bytesPerSecond);

    public static string FormatDuration(TimeSpan? duration) => Downloader.Core.Formatting.ByteSize.FormatDuration(duration);
}
