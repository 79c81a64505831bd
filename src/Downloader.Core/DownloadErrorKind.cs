namespace Downloader.Core;

/// <summary>Why a download failed; stable names that front ends map to exit codes and error ids.</summary>
public enum DownloadErrorKind
{
    Unknown = 0,
    InvalidRequest,
    InvalidName,
    HttpStatus,
    Network,
    Timeout,
    Tls,
    InsecureRedirect,
    RangeNotHonoured,
    RemoteChanged,
    ChecksumMismatch,
    ContentTypeRejected,
    FileExists,
    Storage,
    TooLarge,
    Cancelled,
}
