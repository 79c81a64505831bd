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
