using System;
using System.Collections.Generic;
using System.IO;

namespace Downloader.Core.Naming;

/// <summary>
/// The destination paths taken by downloads of one client, so two items of a batch that map to the same name never
/// write the same file: the second gets "name (1).ext". Completed paths stay taken for the client's lifetime.
/// </summary>
internal sealed class PathReservations
{
    private readonly HashSet<string> _taken = new(Path.DirectorySeparatorChar == '\\' ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    public bool TryReserve(string path)
    {
        lock (_taken)
        {
            return _taken.Add(path);
        }
    }

    public void Release(string path)
    {
        lock (_taken)
        {
            _taken.Remove(path);
        }
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
