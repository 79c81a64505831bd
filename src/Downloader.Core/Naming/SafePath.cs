using System;
using System.IO;

namespace Downloader.Core.Naming;

/// <summary>The last line of defence: a file name joined to a folder must stay inside that folder.</summary>
public static class SafePath
{
    public static string Combine(string directory, string fileName)
    {
        string root = Path.GetFullPath(directory);
        string full = Path.GetFullPath(Path.Combine(root, fileName));
        string rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal)
            ? root
            : root + Path.DirectorySeparatorChar;
        StringComparison comparison = Path.DirectorySeparatorChar == '\\'
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;
        if (!full.StartsWith(rootWithSeparator, comparison) || Path.GetFileName(full) != fileName)
        {
            throw new DownloadException(
                DownloadErrorKind.InvalidName,
                $"The file name '{fileName}' would be written outside the destination folder '{root}'.");
        }

        return full;
    }
}
