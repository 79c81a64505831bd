using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace Downloader.Core.Storage;

/// <summary>Digests of a finished file or buffer, in any algorithm <see cref="ExpectedHash"/> knows, as lower-case hex.</summary>
internal static class FileHasher
{
    public static string OfFile(string path, HashAlgorithmName algorithm)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(algorithm);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1024 * 1024);
        byte[] buffer = new byte[1024 * 1024];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return ToHex(hash.GetHashAndReset());
    }

    public static string Of(byte[] content, HashAlgorithmName algorithm)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(content);
        return ToHex(hash.GetHashAndReset());
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
}
