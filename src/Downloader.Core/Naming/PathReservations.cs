using System;
using System.Collections.Generic;
using System.IO;

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

    // Per base path that has had collisions: every "name (n)" below this count is settled. Settled paths never come
    // free again, so the next search may start there: a list of 100,000 URLs that share one name (an API's
    // "export?page=N") then costs each item a look or two, where counting up from "name (1)" every time cost the
    // whole list's length squared. Only names that collided get an entry.
    private readonly Dictionary<ulong, int> _settledBelow = new();

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
    /// The lowest suffix n of <paramref name="basePath"/> ("name (n).ext"; 0 is the name itself) whose path is not
    /// settled: where a search for a free name can start, since every one below it is taken for good.
    /// </summary>
    public int FirstUnsettledSuffix(string basePath)
    {
        ulong key = Hash(basePath);
        lock (_gate)
        {
            _settledBelow.TryGetValue(key, out int n);
            while (_finished.Contains(Hash(WithSuffix(basePath, n))))
            {
                n++;
            }

            if (n > 0)
            {
                _settledBelow[key] = n;
            }

            return n;
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
