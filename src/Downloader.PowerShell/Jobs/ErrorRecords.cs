using System.Management.Automation;
using Downloader.Core;
using Downloader.Core.Results;

namespace Downloader.PowerShell.Jobs;

/// <summary>Failed items as non-terminating errors with stable ids, a category and the URL as target.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord FromResult(DownloadResult result)
    {
        DownloadErrorKind kind = result.ErrorKind ?? DownloadErrorKind.Unknown;
        var exception = new DownloadException(kind, result.Error ?? "The download failed.") { StatusCode = result.HttpStatus };
        return new ErrorRecord(exception, "Downloader." + kind, Category(kind), (object?)result.Url ?? result.Input);
    }

    private static ErrorCategory Category(DownloadErrorKind kind) => kind switch
    {
        DownloadErrorKind.InvalidRequest or DownloadErrorKind.InvalidName => ErrorCategory.InvalidArgument,
        DownloadErrorKind.HttpStatus => ErrorCategory.InvalidResult,
        DownloadErrorKind.Network => ErrorCategory.ConnectionError,
        DownloadErrorKind.Timeout => ErrorCategory.OperationTimeout,
        DownloadErrorKind.Tls or DownloadErrorKind.InsecureRedirect => ErrorCategory.SecurityError,
        DownloadErrorKind.RangeNotHonoured or DownloadErrorKind.RemoteChanged => ErrorCategory.ProtocolError,
        DownloadErrorKind.ChecksumMismatch => ErrorCategory.InvalidData,
        DownloadErrorKind.ContentTypeRejected => ErrorCategory.InvalidType,
        DownloadErrorKind.FileExists => ErrorCategory.ResourceExists,
        DownloadErrorKind.Storage => ErrorCategory.WriteError,
        DownloadErrorKind.TooLarge => ErrorCategory.LimitsExceeded,
        DownloadErrorKind.Cancelled => ErrorCategory.OperationStopped,
        _ => ErrorCategory.NotSpecified,
    };
}
