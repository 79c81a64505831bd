using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Downloader.Core.Naming;

/// <summary>
/// The destination paths taken by downloads of one client, so two items of a batch that map to the same name never
/// write the same file: the second gets "name (1).ext". Finished paths stay taken for the client's lifetime, but only
/// as 64-bit hashes, so a list of a million URLs keeps a few megabytes here rather than a million strings.
/// </summary>
internal sealed class PathReservations
{
    private static readonly bool IgnoreCase = Path.DirectorySeparatorChar == '\\';
    private readonly object _gate = new();
    private readonly HashSet<string> _running = new(IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
    private readonly HashSet<ulong> _finished = new();

    // Per base path that two items wanted (an API's "export?page=N" names every file "export"): where the next search
    // may start. Counting up from "name (1)" for every item cost a list of N such URLs N squared looks, and ran out
    // of numbers at 10,000. Only names that collided get an entry.
    private readonly Dictionary<ulong, NameSeries> _series = new();

    public bool TryReserve(string path)
    {
        lock (_gate)
        {
            return !_finished.Contains(Hash(path)) && _running.Add(path);
        }
    }

    public void Release(string path)
    {
        lock (_gate)
        {
            _running.Remove(path);
        }
    }

    /// <summary>The download holding <paramref name="path"/> has finished; the path stays taken.</summary>
    public void Settle(string path)
    {
        lock (_gate)
        {
            if (_running.Remove(path))
            {
                _finished.Add(Hash(path));
            }
        }
    }

    /// <summary>Another item of the batch holds <paramref name="path"/>, or finished with it.</summary>
    public bool IsTaken(string path)
    {
        lock (_gate)
        {
            return _running.Contains(path) || _finished.Contains(Hash(path));
        }
    }

    /// <summary>
    /// The lowest number n ≥ 1 of <paramref name="basePath"/> ("name (n).ext") that no item of the batch holds or has
    /// finished and that holds no file known to stay: where a linear search for a free name can start.
    /// </summary>
    /// <remarks>
    /// Stepping over a name another item holds only to look at it loses nothing: what that item finds there is either
    /// chosen, or recorded here (a changed file kept, another URL's partial offered to every later search).
    /// </remarks>
    public int FirstOpenSuffix(string basePath)
    {
        ulong key = Hash(basePath);
        lock (_gate)
        {
            _series.TryGetValue(key, out NameSeries? series);
            int n = series?.FirstOpen ?? 1;
            while (true)
            {
                string path = WithSuffix(basePath, n);
                bool taken = _running.Contains(path) || _finished.Contains(Hash(path)) ||
                    (series != null && (series.Kept.Contains(n) || series.Partials.Contains(n)));
                if (!taken)
                {
                    break;
                }

                n++;
            }

            if (n > 1 || series != null)
            {
                series ??= _series[key] = new NameSeries();
                series.FirstOpen = n;
                series.Kept.RemoveWhere(k => k < n);
            }

            return n;
        }
    }

    /// <summary>The numbers of <paramref name="basePath"/> known to hold another URL's partial download, lowest first.</summary>
    public int[] PartialSuffixes(string basePath)
    {
        lock (_gate)
        {
            return _series.TryGetValue(Hash(basePath), out NameSeries? series) ? series.Partials.ToArray() : Array.Empty<int>();
        }
    }

    /// <summary>Number <paramref name="n"/> of <paramref name="basePath"/> holds another URL's partial download.</summary>
    public void MarkPartial(string basePath, int n) => Update(basePath, series => series.Partials.Add(n));

    /// <summary>Number <paramref name="n"/> of <paramref name="basePath"/> was taken up by the URL its partial belongs to.</summary>
    public void UnmarkPartial(string basePath, int n)
    {
        lock (_gate)
        {
            if (_series.TryGetValue(Hash(basePath), out NameSeries? series))
            {
                series.Partials.Remove(n);
            }
        }
    }

    /// <summary>Number <paramref name="n"/> of <paramref name="basePath"/> holds a changed file this batch keeps.</summary>
    public void MarkKept(string basePath, int n) => Update(basePath, series => series.Kept.Add(n));

    private void Update(string basePath, Action<NameSeries> change)
    {
        ulong key = Hash(basePath);
        lock (_gate)
        {
            if (!_series.TryGetValue(key, out NameSeries? series))
            {
                series = _series[key] = new NameSeries();
            }

            change(series);
        }
    }

    /// <summary>FNV-1a over the path's characters (upper-cased where the file system ignores case).</summary>
    private static ulong Hash(string path)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in path)
        {
            hash = (hash ^ (IgnoreCase ? char.ToUpperInvariant(c) : c)) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>"dir/name.ext" → "dir/name (n).ext".</summary>
    public static string WithSuffix(string path, int n)
    {
        if (n == 0)
        {
            return path;
        }

        string directory = Path.GetDirectoryName(path) ?? string.Empty;
        string extension = Path.GetExtension(path);
        string stem = Path.GetFileNameWithoutExtension(path);
        if (stem.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
        {
            extension = ".tar" + extension;
            stem = stem.Substring(0, stem.Length - 4);
        }

        return Path.Combine(directory, $"{stem} ({n}){extension}");
    }
}
