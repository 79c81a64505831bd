using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Downloader.Core.Planning;

namespace Downloader.Core.Resume;

/// <summary>
/// Reads and writes the small text file beside a part file. A write goes to a temporary file, is flushed, then
/// renamed over the old one, so a kill at any instant leaves either the old state or the new, never half of one.
/// </summary>
public static class ResumeStateFile
{
    public const string Extension = ".downloader";
    private const string Magic = "downloader-state 1";

    public static void Save(string path, ResumeState state)
    {
        var sb = new StringBuilder();
        sb.Append(Magic).Append('\n');
        sb.Append("url ").Append(state.Url.AbsoluteUri).Append('\n');
        sb.Append("length ").Append(state.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (state.ETag != null)
        {
            sb.Append("etag ").Append(state.ETag).Append('\n');
        }

        if (state.LastModified != null)
        {
            sb.Append("last-modified ").Append(state.LastModified.Value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        if (state.UserAgent != null)
        {
            sb.Append("user-agent ").Append(OneLine(state.UserAgent)).Append('\n');
        }

        foreach (var header in state.Headers)
        {
            // Never a secret on disk, whatever the caller passed.
            if (!Http.CredentialHeaders.IsCredential(header.Key))
            {
                sb.Append("header ").Append(OneLine(header.Key)).Append(": ").Append(OneLine(header.Value)).Append('\n');
            }
        }

        sb.Append("ranges ");
        sb.Append(string.Join(",", state.Completed.Ranges.Select(r => r.ToString())));
        sb.Append('\n').Append("end\n");

        string temp = path + ".tmp";
        byte[] bytes = Encoding.UTF8.GetBytes(sb.ToString());
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(flushToDisk: true);
        }

        Storage.AtomicFile.Replace(temp, path);
    }

    /// <summary>Reads a state file; null when it is missing, truncated or not ours.</summary>
    public static ResumeState? TryLoad(string path) => TryLoad(path, out _);

    /// <summary>
    /// Reads a state file; null when it is missing, truncated or not ours. <paramref name="present"/> tells whether a
    /// file was there at all, so a caller can clear away one it cannot use.
    /// </summary>
    public static ResumeState? TryLoad(string path, out bool present)
    {
        // Most downloads have no state file: asking whether it exists costs one call and no exception, where opening
        // a missing file costs an open, a look at its folder and a thrown exception.
        present = File.Exists(path);
        if (!present)
        {
            return null;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        if (lines.Length < 2 || lines[0] != Magic || lines[lines.Length - 1] != "end")
        {
            return null;
        }

        try
        {
            return Parse(lines);
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    // The fields of a whole state file (its magic and end checked); throws on a malformed one, null on impossible ranges.
    private static ResumeState? Parse(string[] lines)
    {
        var fields = new Dictionary<string, string>();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int space = line.IndexOf(' ');
            if (space <= 0)
            {
                continue;
            }

            string key = line.Substring(0, space);
            string value = line.Substring(space + 1);
            int colon = value.IndexOf(": ", StringComparison.Ordinal);
            if (key == "header" && colon > 0)
            {
                headers[value.Substring(0, colon)] = value.Substring(colon + 2);
            }
            else
            {
                fields[key] = value;
            }
        }

        RangeSet ranges = ParseRanges(fields.TryGetValue("ranges", out string? text) ? text : string.Empty);
        long length = long.Parse(fields["length"], CultureInfo.InvariantCulture);
        if (ranges.Ranges.Count > 0 && ranges.Ranges[ranges.Ranges.Count - 1].End > length)
        {
            return null;
        }

        return new ResumeState
        {
            Url = new Uri(fields["url"]),
            Length = length,
            ETag = fields.TryGetValue("etag", out string? etag) ? etag : null,
            LastModified = fields.TryGetValue("last-modified", out string? lm)
                ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(lm, CultureInfo.InvariantCulture))
                : null,
            Completed = ranges,
            UserAgent = fields.TryGetValue("user-agent", out string? agent) ? agent : null,
            Headers = headers,
        };
    }

    private static RangeSet ParseRanges(string text)
    {
        var ranges = new RangeSet();
        if (text.Length > 0)
        {
            foreach (string part in text.Split(','))
            {
                string[] bounds = part.Split('-');
                ranges.Add(new ByteRange(
                    long.Parse(bounds[0], CultureInfo.InvariantCulture),
                    long.Parse(bounds[1], CultureInfo.InvariantCulture)));
            }
        }

        return ranges;
    }

    public static void Delete(string path)
    {
        File.Delete(path);
        File.Delete(path + ".tmp");
    }

    private static string OneLine(string value) => value.Replace('\r', ' ').Replace('\n', ' ');
}
