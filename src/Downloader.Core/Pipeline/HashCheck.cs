using Downloader.Core.Storage;

namespace Downloader.Core.Pipeline;

/// <summary>The expected-hash rule, the same for a file and for memory.</summary>
internal static class HashCheck
{
    /// <summary>Whether a hash must be computed at all: one was expected, or every result should carry one.</summary>
    public static bool Wanted(DownloadRequest request, DownloadOptions options) => request.ExpectedSha256 != null || options.ComputeSha256;

    /// <summary>Throws ChecksumMismatch when the content is not what the request expected.</summary>
    public static void Verify(DownloadRequest request, string actual, string whatHappened)
    {
        if (request.ExpectedSha256 != null && !FileHasher.SameHash(request.ExpectedSha256, actual))
        {
            throw new DownloadException(
                DownloadErrorKind.ChecksumMismatch,
                $"{Http.UserInfo.Redact(request.Uri)}: SHA-256 is {actual}, expected {request.ExpectedSha256.Trim().ToLowerInvariant()}{whatHappened}.");
        }
    }
}
