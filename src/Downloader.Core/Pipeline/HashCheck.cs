using System.Security.Cryptography;
using Downloader.Core.Results;

namespace Downloader.Core.Pipeline;

/// <summary>
/// The expected-hash rule of one download, the same for a file and for memory: the request's own hash wins, else the
/// checksum file's entry for the file's name, else none. It says which algorithm to compute (none when nothing is
/// expected and no hash was asked for, so hashing stays off the transfer's path) and checks the digest at the end.
/// </summary>
internal sealed class HashCheck
{
    private readonly DownloadRequest _request;

    /// <param name="names">The file's final name, then the name it would have had before " (1)" was added.</param>
    public HashCheck(DownloadRequest request, DownloadOptions options, params string[] names)
    {
        _request = request;
        Expected = request.ExpectedHash ?? Find(options.Checksums, names);
        Algorithm = Expected?.Algorithm ?? (options.ComputeSha256 ? HashAlgorithmName.SHA256 : null);
    }

    public ExpectedHash? Expected { get; }

    /// <summary>What to compute: the expected hash's algorithm, SHA-256 when every result should carry one, else null.</summary>
    public HashAlgorithmName? Algorithm { get; }

    /// <summary>Throws ChecksumMismatch when the content is not what was expected.</summary>
    public void Verify(string actual, string whatHappened)
    {
        if (Expected != null && !Expected.Matches(actual))
        {
            throw new DownloadException(
                DownloadErrorKind.ChecksumMismatch,
                $"{Http.UserInfo.Redact(_request.Uri)}: {ExpectedHash.Display(Expected.Algorithm)} is {actual}, expected {Expected.Hex}{whatHappened}.");
        }
    }

    /// <summary>The result with the digest in it; Sha256 too when that is the algorithm, as scripts read it.</summary>
    public static DownloadResult Stamp(DownloadResult result, HashAlgorithmName algorithm, string hex) =>
        result with { Hash = hex, HashAlgorithm = algorithm.Name, Sha256 = algorithm == HashAlgorithmName.SHA256 ? hex : null };

    private static ExpectedHash? Find(Batch.ChecksumFile? checksums, string[] names)
    {
        if (checksums == null)
        {
            return null;
        }

        foreach (string name in names)
        {
            if (checksums.Find(name) is ExpectedHash listed)
            {
                return listed;
            }
        }

        return null;
    }
}
