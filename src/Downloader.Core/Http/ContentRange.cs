using System.Globalization;

namespace Downloader.Core.Http;

/// <summary>A parsed <c>Content-Range: bytes first-last/total</c> header; total is -1 when the server sent '*'.</summary>
internal readonly struct ContentRange
{
    private ContentRange(long first, long last, long total)
    {
        First = first;
        Last = last;
        Total = total;
    }

    public long First { get; }

    public long Last { get; }

    public long Total { get; }

    public static bool TryParse(string? value, out ContentRange range)
    {
        range = default;
        if (value == null)
        {
            return false;
        }

        string v = value.Trim();
        if (!v.StartsWith("bytes ", System.StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        v = v.Substring(6).Trim();
        int dash = v.IndexOf('-');
        int slash = v.IndexOf('/');
        if (dash <= 0 || slash <= dash)
        {
            return false;
        }

        if (!long.TryParse(v.Substring(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out long first) ||
            !long.TryParse(v.Substring(dash + 1, slash - dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long last) ||
            last < first)
        {
            return false;
        }

        string totalText = v.Substring(slash + 1);
        long total = -1;
        if (totalText != "*" &&
            !long.TryParse(totalText, NumberStyles.None, CultureInfo.InvariantCulture, out total))
        {
            return false;
        }

        range = new ContentRange(first, last, total);
        return true;
    }
}
