using System.Security.Cryptography;

namespace Downloader.Core.Tests;

/// <summary>Digests computed by the test itself (not the engine), by the names <c>ALGORITHM:HEX</c> uses.</summary>
public static class TestDigests
{
    public static readonly string[] Algorithms = { "sha256", "sha512", "sha384", "sha1", "md5" };

    public static string Of(string algorithm, byte[] data) => Convert.ToHexStringLower(algorithm switch
    {
        "sha256" => SHA256.HashData(data),
        "sha512" => SHA512.HashData(data),
        "sha384" => SHA384.HashData(data),
        "sha1" => SHA1.HashData(data),
        "md5" => MD5.HashData(data),
        _ => throw new ArgumentException(algorithm, nameof(algorithm)),
    });

    /// <summary>The same digest with its first digit changed: right length, wrong value.</summary>
    public static string Wrong(string hex) => (hex[0] == '0' ? "1" : "0") + hex.Substring(1);

    /// <summary>The name the engine reports in HashAlgorithm, as Get-FileHash spells it.</summary>
    public static string ReportedName(string algorithm) => algorithm.ToUpperInvariant();
}
