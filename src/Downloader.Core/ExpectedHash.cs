using System;
using System.Globalization;
using System.Security.Cryptography;

namespace Downloader.Core;

/// <summary>
/// What a download must hash to: an algorithm (SHA-256, SHA-512, SHA-384, SHA-1 or MD5) and its digest in lower-case
/// hex. Written <c>ALGORITHM:HEX</c> (names case-insensitive, <c>sha-256</c> spelt as aria2 does accepted too); plain
/// 64 hex digits stay SHA-256, as every earlier version read them.
/// </summary>
public sealed class ExpectedHash
{
    private const string Usage = "give ALGORITHM:HEX (sha256, sha512, sha384, sha1 or md5) or 64 hex digits for SHA-256";

    private ExpectedHash(HashAlgorithmName algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public HashAlgorithmName Algorithm { get; }

    /// <summary>The digest, lower-case hex, as long as the algorithm's (32, 40, 64, 96 or 128 digits).</summary>
    public string Hex { get; }

    /// <summary>The form <see cref="Parse"/> reads back, e.g. <c>sha512:0f1e…</c>.</summary>
    public override string ToString() => $"{Algorithm.Name!.ToLowerInvariant()}:{Hex}";

    /// <summary>Whether <paramref name="actualHex"/>, a digest of this algorithm, is this one (case ignored).</summary>
    public bool Matches(string actualHex) => string.Equals(Hex, actualHex, StringComparison.OrdinalIgnoreCase);

    /// <exception cref="FormatException">The text is not a hash; the message says why.</exception>
    public static ExpectedHash Parse(string text) =>
        TryParse(text, out ExpectedHash? hash, out string? error) ? hash! : throw new FormatException(error);

    /// <summary>Reads <c>ALGORITHM:HEX</c> or 64 plain hex digits; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string? text, out ExpectedHash? hash, out string? error)
    {
        hash = null;
        string value = (text ?? string.Empty).Trim();
        int colon = value.IndexOf(':');
        if (colon < 0)
        {
            if (value.Length == 64 && IsHex(value))
            {
                hash = new ExpectedHash(HashAlgorithmName.SHA256, value.ToLowerInvariant());
                error = null;
                return true;
            }

            error = $"'{value}' is not a hash: {Usage}.";
            return false;
        }

        string name = value.Substring(0, colon).Trim();
        if (!TryParseAlgorithm(name, out HashAlgorithmName algorithm))
        {
            error = $"'{value}': '{name}' is not a hash algorithm; use sha256, sha512, sha384, sha1 or md5.";
            return false;
        }

        return TryCreate(algorithm, value.Substring(colon + 1).Trim(), out hash, out error);
    }

    /// <summary>A digest of a known algorithm, checked for hex digits and length.</summary>
    public static bool TryCreate(HashAlgorithmName algorithm, string hex, out ExpectedHash? hash, out string? error)
    {
        hash = null;
        int length = HexLength(algorithm);
        if (!IsHex(hex))
        {
            error = $"'{hex}' is not a {Display(algorithm)} digest: it must be hex digits (0-9, a-f).";
            return false;
        }

        if (hex.Length != length)
        {
            error = $"'{hex}' is not a {Display(algorithm)} digest: it has {hex.Length} hex digits, and {Display(algorithm)} has {length}.";
            return false;
        }

        hash = new ExpectedHash(algorithm, hex.ToLowerInvariant());
        error = null;
        return true;
    }

    /// <summary>sha256, sha512, sha384, sha1, md5, case-insensitive, with or without a dash after "sha".</summary>
    public static bool TryParseAlgorithm(string name, out HashAlgorithmName algorithm)
    {
        string key = name.Trim().ToUpperInvariant();
        if (key.StartsWith("SHA-", StringComparison.Ordinal))
        {
            key = "SHA" + key.Substring(4);
        }

        algorithm = key switch
        {
            "SHA256" => HashAlgorithmName.SHA256,
            "SHA512" => HashAlgorithmName.SHA512,
            "SHA384" => HashAlgorithmName.SHA384,
            "SHA1" => HashAlgorithmName.SHA1,
            "MD5" => HashAlgorithmName.MD5,
            _ => default,
        };
        return algorithm.Name != null;
    }

    /// <summary>The algorithm whose digest has this many hex digits (as sha256sum's family tells them apart), if any.</summary>
    public static bool TryAlgorithmOfLength(int hexLength, out HashAlgorithmName algorithm)
    {
        algorithm = hexLength switch
        {
            32 => HashAlgorithmName.MD5,
            40 => HashAlgorithmName.SHA1,
            64 => HashAlgorithmName.SHA256,
            96 => HashAlgorithmName.SHA384,
            128 => HashAlgorithmName.SHA512,
            _ => default,
        };
        return algorithm.Name != null;
    }

    /// <summary>How messages name an algorithm: SHA-256, SHA-512, SHA-384, SHA-1, MD5.</summary>
    public static string Display(HashAlgorithmName algorithm) =>
        algorithm.Name is string name && name.StartsWith("SHA", StringComparison.Ordinal) ? "SHA-" + name.Substring(3) : algorithm.Name ?? "?";

    private static int HexLength(HashAlgorithmName algorithm) =>
        algorithm == HashAlgorithmName.MD5 ? 32
        : algorithm == HashAlgorithmName.SHA1 ? 40
        : algorithm == HashAlgorithmName.SHA256 ? 64
        : algorithm == HashAlgorithmName.SHA384 ? 96
        : algorithm == HashAlgorithmName.SHA512 ? 128
        : throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "{0} is not a supported hash algorithm.", algorithm.Name), nameof(algorithm));

    private static bool IsHex(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!Uri.IsHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
