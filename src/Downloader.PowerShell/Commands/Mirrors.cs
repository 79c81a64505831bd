using System;
using System.Collections.Generic;
using System.Linq;
using Downloader.Core.Batch;
using Downloader.Core.Http;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Turns -Mirror (or a Mirrors column) into URLs: each value may hold several URLs separated by spaces or ';', since a
/// CSV cell is one string; empty values are none.
/// </summary>
internal static class Mirrors
{
    private static readonly char[] Separators = { ';', ' ', '\t' };

    /// <param name="urls">How many -Uri values share these mirrors: they must be of one file, so at most one.</param>
    /// <returns>Why the mirrors cannot be used, or null.</returns>
    public static string? Parse(string[]? values, int urls, out Uri[] mirrors)
    {
        var parsed = new List<Uri>();
        mirrors = Array.Empty<Uri>();
        foreach (string text in (values ?? Array.Empty<string>()).Where(v => v != null).SelectMany(v => v.Split(Separators, StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!UrlParser.TryParse(text, out Uri? uri, out string? error))
            {
                return $"mirror '{UserInfo.Redact(text)}': {error}";
            }

            parsed.Add(uri!);
        }

        if (parsed.Count > 0 && urls > 1)
        {
            return "-Mirror gives other sources of one file, so it goes with one -Uri, not several.";
        }

        mirrors = parsed.ToArray();
        return null;
    }
}
