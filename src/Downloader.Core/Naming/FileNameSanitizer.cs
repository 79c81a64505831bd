using System;
using System.Linq;
using System.Text;

namespace Downloader.Core.Naming;

/// <summary>
/// Turns a name chosen by a server or a URL into one safe on every platform the module runs on: a single path
/// component, none of Windows' reserved names or characters, and short enough to leave room for our suffixes.
/// </summary>
public static class FileNameSanitizer
{
    public const string FallbackName = "download";

    /// <summary>Leaves room for ".part", ".downloader" and " (NNN)" within the usual 255-character limit.</summary>
    public const int MaxLength = 200;

    private static readonly string[] ReservedNames =
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private const string InvalidCharacters = "<>:\"/\\|?*";

    public static string Sanitize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return FallbackName;
        }

        // Keep only the last component, whichever separator the server used.
        string last = name!.Split('/', '\\').Last();
        var sb = new StringBuilder(last.Length);
        foreach (char c in last)
        {
            sb.Append(char.IsControl(c) || InvalidCharacters.IndexOf(c) >= 0 ? '_' : c);
        }

        // Windows drops trailing dots and spaces, which would make two different names collide.
        string cleaned = sb.ToString().Trim().TrimEnd('.', ' ');
        if (cleaned.Length == 0 || cleaned.All(c => c == '.'))
        {
            return FallbackName;
        }

        string stem = cleaned.Split('.')[0];
        if (ReservedNames.Contains(stem, StringComparer.OrdinalIgnoreCase))
        {
            cleaned = "_" + cleaned;
        }

        return Truncate(cleaned);
    }

    /// <summary>The name to use for a URL: its last path segment, percent-decoded, without the query.</summary>
    public static string FromUri(Uri uri)
    {
        string path = uri.AbsolutePath;
        int slash = path.LastIndexOf('/');
        string segment = slash >= 0 ? path.Substring(slash + 1) : path;
        return Sanitize(Uri.UnescapeDataString(segment));
    }

    private static string Truncate(string name)
    {
        if (name.Length <= MaxLength)
        {
            return name;
        }

        int dot = name.LastIndexOf('.');
        string extension = dot > 0 && name.Length - dot <= 16 ? name.Substring(dot) : string.Empty;
        string stem = name.Substring(0, MaxLength - extension.Length);
        if (char.IsHighSurrogate(stem[stem.Length - 1]))
        {
            stem = stem.Substring(0, stem.Length - 1);
        }

        return stem.TrimEnd('.', ' ') + extension;
    }
}
