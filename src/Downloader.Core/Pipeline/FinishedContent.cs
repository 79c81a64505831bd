using System.Security.Cryptography;

namespace Downloader.Core.Pipeline;

/// <summary>
/// What a target's finish step placed: where it went, how many bytes, and the digest it verified. The target returns
/// it upward and <see cref="ResultBuilder.Success"/> turns it, with the probe and the transfer, into the one result.
/// </summary>
/// <param name="Path">The final file; null in memory.</param>
/// <param name="Content">The bytes, for a download to memory.</param>
internal sealed record FinishedContent(string? Path, string FileName, long Bytes, HashAlgorithmName? HashAlgorithm, string? Hash, byte[]? Content = null);
