using System;
using System.Globalization;

namespace Downloader.Core.Streaming;

/// <summary>The one Range form the local server honours: a single byte range, "bytes=a-b", "bytes=a-" or "bytes=-n".</summary>
internal static class ByteRangeHeader
{
    public static bool IsSingleByteRange(string header)
    {
        string value = header.Trim();
        return value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) && value.IndexOf(',') < 0;
    }

    /// <summary>One range, "bytes=a-b", "bytes=a-" or "bytes=-n"; false when it cannot be satisfied or is malformed.</summary>
    public static bool TryParseRange(string header, long length, out long start, out long end)
    {
        start = 0;
        end = length - 1;
        string value = header.Trim();
        if (!IsSingleByteRange(value))
        {
            return false;
        }

        string[] parts = value.Substring(6).Split('-');
        if (parts.Length != 2)
        {
            return false;
        }

        bool hasStart = long.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long a);
        bool hasEnd = long.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long b);
        if (!hasStart && hasEnd)
        {
            // The last b bytes.
            if (b == 0)
            {
                return false;
            }

            start = Math.Max(0, length - b);
            return length > 0;
        }

        if (!hasStart || a >= length)
        {
            return false;
        }

        start = a;
        end = hasEnd ? Math.Min(b, length - 1) : length - 1;
        return end >= start;
    }

}
