using System;
using System.Collections.Generic;
using System.Linq;

namespace Downloader.Core.Naming;

/// <summary>Matches a Content-Type against accepted patterns: "image/png", "image/*" or "*/*".</summary>
public static class ContentTypeFilter
{
    public static bool Accepts(IReadOnlyCollection<string> patterns, string? contentType)
    {
        if (patterns.Count == 0)
        {
            return true;
        }

        string type = (contentType ?? string.Empty).Split(';')[0].Trim();
        return patterns.Any(p => Matches(p.Trim(), type));
    }

    /// <summary>Fails the download with ContentTypeRejected when its type is not accepted.</summary>
    public static void Check(IReadOnlyCollection<string> patterns, string? contentType, Uri uri)
    {
        if (!Accepts(patterns, contentType))
        {
            throw new DownloadException(
                DownloadErrorKind.ContentTypeRejected,
                $"{uri}: content type '{contentType ?? "none"}' is not accepted (accepted: {string.Join(", ", patterns)}).");
        }
    }

    private static bool Matches(string pattern, string type)
    {
        if (pattern == "*/*" || pattern == "*")
        {
            return true;
        }

        if (pattern.EndsWith("/*", StringComparison.Ordinal))
        {
            return type.StartsWith(pattern.Substring(0, pattern.Length - 1), StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(pattern, type, StringComparison.OrdinalIgnoreCase);
    }
}
