using System;
using System.Collections.Generic;
using System.IO;
using Downloader.Core.Results;

namespace Downloader.Core.Batch;

/// <summary>
/// The same URL to the same destination twice in one batch is downloaded once: every later entry is reported as
/// skipped, naming the entry that had it first ("duplicate of line 3"). Entries are remembered by a 128-bit hash of URL
/// and destination with the first entry's place as a number (its line, else its record), so a list of 100,000 URLs
/// keeps 3 MiB here, not its text nor a name string per entry (which cost the CLI 8 MiB of peak memory there).
/// In-memory downloads have no destination to share and are never duplicates.
/// </summary>
internal sealed class DuplicateFilter
{
    // The first entry's line (positive) or record number (negative); an origin given as text is kept aside, by record.
    private readonly Dictionary<(ulong, ulong), int> _first = new();
    private readonly Dictionary<int, string> _named = new();
    private int _count;

    /// <summary>The skipped result for <paramref name="item"/> when an earlier entry had it; null for a first one.</summary>
    /// <remarks>Called by the one thread that reads the batch's input, in input order.</remarks>
    public DownloadResult? Check(BatchItem item)
    {
        _count++;
        DownloadRequest? request = item.Request;
        if (request == null || request.InMemory)
        {
            return null;
        }

        (ulong, ulong) key = Hash(request.Uri.AbsoluteUri + "\n" + Destination(request));
        if (!_first.TryGetValue(key, out int first))
        {
            _first[key] = Remember(item);
            return null;
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        return new DownloadResult
        {
            Url = Http.UserInfo.Redacted(request.Uri),
            Input = Http.UserInfo.Redact(item.Input),
            Status = DownloadStatus.Skipped,
            Reason = $"duplicate of {Describe(first)}",
            StartTime = now,
            EndTime = now,
        };
    }

    private int Remember(BatchItem item)
    {
        if (item.Line > 0)
        {
            return item.Line;
        }

        if (item.Origin is string origin)
        {
            _named[_count] = origin;
        }

        return -_count;
    }

    private string Describe(int first) =>
        first > 0 ? $"line {first}" : _named.TryGetValue(-first, out string? origin) ? origin : $"record {-first}";

    private static string Destination(DownloadRequest request)
    {
        try
        {
            return request.OutputPath != null
                ? "file " + Path.GetFullPath(request.OutputPath)
                : "folder " + Path.GetFullPath(request.Directory) + "\n" + request.FileName;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // A path that cannot be resolved fails in its own download, with its own error.
            return "unresolved " + request.OutputPath + "\n" + request.Directory + "\n" + request.FileName;
        }
    }

    /// <summary>Two FNV-1a hashes with different offsets: a false match would skip a download, so 64 bits are not enough.</summary>
    private static (ulong, ulong) Hash(string text)
    {
        ulong a = 14695981039346656037UL;
        ulong b = 0x9E3779B97F4A7C15UL;
        foreach (char c in text)
        {
            a = (a ^ c) * 1099511628211UL;
            b = (b ^ c) * 0x100000001B3UL ^ (b >> 29);
        }

        return (a, b);
    }
}
