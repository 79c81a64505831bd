using System;
using System.Collections.Generic;
using System.IO;
using Downloader.Core.Http;
using Downloader.Core.Probing;
using Downloader.Core.Results;

namespace Downloader.Core.Pipeline;

/// <summary>
/// Builds a download's results from one shared description: the request and what the probe learned. URLs are shown
/// with their password redacted, since results reach output, logs, JSON and error records.
/// </summary>
internal sealed class ResultBuilder
{
    private readonly DownloadRequest _request;
    private readonly Func<int> _retries;

    public ResultBuilder(DownloadRequest request, Func<int> retries)
    {
        _request = request;
        _retries = retries;
        Start = DateTimeOffset.UtcNow;
    }

    public DateTimeOffset Start { get; }

    public DownloadResult Describe(ProbeResult? probe) => new()
    {
        Url = UserInfo.Redacted(_request.Uri),
        Input = UserInfo.Redact(_request.Uri.OriginalString),
        FinalUrl = probe == null ? null : UserInfo.Redacted(probe.FinalUri),
        ContentType = probe?.ContentType,
        ETag = probe?.ETag,
        LastModified = probe?.LastModified,
        StartTime = Start,
        EndTime = DateTimeOffset.UtcNow,
        Retries = _retries(),
        HttpStatus = probe?.StatusCode,
        HttpVersion = probe == null ? null : probe.HttpVersion.Major >= 2 ? "HTTP/" + probe.HttpVersion.Major : "HTTP/" + probe.HttpVersion.ToString(2),
        Headers = probe?.Headers ?? new Dictionary<string, string>(),
    };

    /// <summary>
    /// A finished download's result, built in one place from what each step learned: the request and probe, the
    /// transfer (connections, sources), and what the target placed and verified (path, bytes, digest).
    /// </summary>
    public DownloadResult Success(ProbeResult probe, ITransfer transfer, bool resumed, FinishedContent finished)
    {
        DownloadResult result = Describe(probe) with
        {
            Status = DownloadStatus.Completed,
            Connections = transfer.ConnectionsUsed,
            Resumed = resumed,
            Sources = transfer.Sources,
            Path = finished.Path,
            FileName = finished.FileName,
            Bytes = finished.Bytes,
            Content = finished.Content,
        };
        return finished.HashAlgorithm is System.Security.Cryptography.HashAlgorithmName algorithm ? HashCheck.Stamp(result, algorithm, finished.Hash!) : result;
    }

    /// <summary>The local copy is current (304, or the same size and date): nothing was fetched.</summary>
    public DownloadResult Skipped(ProbeResult probe, string path) => Describe(probe) with
    {
        Path = path,
        FileName = System.IO.Path.GetFileName(path),
        Bytes = new FileInfo(path).Length,
        LastModified = probe.LastModified ?? File.GetLastWriteTimeUtc(path),
        Status = DownloadStatus.Skipped,
        Reason = "unchanged",
    };

    /// <summary>How the reason of a result skipped because another download holds its destination begins.</summary>
    public const string InProgressReason = "in progress in ";

    /// <summary>Another download of the same URL holds the destination: it is on its way there, not failed here.</summary>
    public DownloadResult InProgressElsewhere(ProbeResult? probe, Storage.TargetBusyException busy) => Describe(probe) with
    {
        Path = busy.Path,
        FileName = System.IO.Path.GetFileName(busy.Path),
        Status = DownloadStatus.Skipped,
        Reason = InProgressReason + busy.Owner.Describe(),
    };

    /// <summary>A failed or cancelled download: what went wrong, and how far it got.</summary>
    public DownloadResult Failure(ProbeResult? probe, string? path, long bytes, Exception exception, bool cancelled)
    {
        DownloadException error = cancelled ? new DownloadException(DownloadErrorKind.Cancelled, $"{_request.Uri}: cancelled.")
            : exception as DownloadException ?? new DownloadException(DownloadErrorKind.Unknown, $"{_request.Uri}: {exception.Message}", exception);
        DownloadStatus status = cancelled ? DownloadStatus.Cancelled : DownloadStatus.Failed;
        return Describe(probe) with
        {
            FileName = path == null ? null : System.IO.Path.GetFileName(path),
            Bytes = bytes,
            Status = status,
            Error = UserInfo.Redact(error.Message),
            ErrorKind = error.Kind,
            HttpStatus = error.StatusCode,
        };
    }
}
