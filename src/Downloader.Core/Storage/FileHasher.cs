using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace Downloader.Core.Storage;

internal static class FileHasher
{
    public static string Sha256OfFile(string path)
    {
        using var sha = SHA256.Create();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1024 * 1024);
        return ToHex(sha.ComputeHash(stream));
    }

    public static string Sha256(byte[] content)
    {
        using var sha = SHA256.Create();
        return ToHex(sha.ComputeHash(content));
    }

    public static string ToHex(byte[] hash)
    {
        var sb = new StringBuilder(hash.Length * 2);
        foreach (byte b in hash)
        {
            sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    public static bool SameHash(string expected, string actual) =>
        string.Equals(expected.Trim(), actual, StringComparison.OrdinalIgnoreCase);
}
