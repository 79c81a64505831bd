using System;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace Downloader.Core.Http;

/// <summary>
/// The browsers' rule for a Content-Encoding, in one place: the encoding is kept when the file name or the Content-Type
/// says the content is itself compressed (a <c>.tar.gz</c> served with <c>Content-Encoding: gzip</c>, as Apache's
/// <c>AddEncoding gzip .gz</c> does), and decoded otherwise (nginx's <c>gzip_static always</c> serving <c>big.txt</c>
/// gzipped), so the file holds what a browser would save. When the rule decodes, sizes and hashes are of the decoded
/// bytes, and the body is fetched as one stream: ranges of an encoded body cannot be decoded apart.
/// </summary>
internal static class ContentCoding
{
    private static readonly string[] CompressedExtensions =
    {
        ".gz", ".tgz", ".svgz", ".taz", ".z", ".zip", ".bz2", ".tbz", ".tbz2", ".xz", ".txz", ".zst", ".br", ".7z", ".lz", ".lzma",
    };

    private static readonly string[] CompressedTypes =
    {
        "application/gzip", "application/x-gzip", "application/x-gunzip", "application/gzipped", "application/gzip-compressed",
        "application/x-compress", "application/x-compressed", "gzip/document", "application/x-tar", "application/x-gtar",
        "application/x-bzip2", "application/x-xz", "application/zstd", "application/zip", "application/x-7z-compressed",
    };

    // gzip everywhere; deflate (zlib) and br in the net8.0 build (the CLI). The module's netstandard2.0 build keeps
    // those two as served: servers send them only when asked, and this engine asks for identity.

    /// <summary>Whether a body with <paramref name="encoding"/>, saved as <paramref name="fileName"/>, is decoded.</summary>
    public static bool Decodes(string? encoding, string fileName, string? contentType) =>
        CanDecode(encoding) && !KeepsEncoding(fileName, contentType);

    /// <summary>The content is itself compressed: the name or the type says so.</summary>
    public static bool KeepsEncoding(string fileName, string? contentType)
    {
        string type = (contentType ?? string.Empty).Split(';')[0].Trim();
        return CompressedExtensions.Any(e => fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase)) ||
            CompressedTypes.Any(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The decoded view of <paramref name="raw"/>.</summary>
    public static Stream Decoder(string encoding, Stream raw) => Normalize(encoding) switch
    {
        "gzip" => new GZipStream(raw, CompressionMode.Decompress),
#if NET8_0_OR_GREATER
        "deflate" => new ZLibStream(raw, CompressionMode.Decompress),
        "br" => new BrotliStream(raw, CompressionMode.Decompress),
#endif
        _ => raw,
    };

    private static bool CanDecode(string? encoding) => Normalize(encoding) switch
    {
        "gzip" => true,
#if NET8_0_OR_GREATER
        "br" or "deflate" => true,
#endif
        _ => false,
    };

    private static string Normalize(string? encoding) => (encoding ?? string.Empty).Trim().ToLowerInvariant() switch
    {
        "x-gzip" => "gzip",
        var e => e,
    };
}
