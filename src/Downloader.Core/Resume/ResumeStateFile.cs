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

        Replace(temp, path);
    }

    /// <summary>Reads a state file; null when it is missing, truncated or not ours.</summary>
    public static ResumeState? TryLoad(string path)
    {
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

        var fields = new Dictionary<string, string>();
        foreach (string line in lines.Skip(1))
        {
            int space = line.IndexOf(' ');
            if (space > 0)
            {
                fields[line.Substring(0, space)] = line.Substring(space + 1);
            }
        }

        try
        {
            var ranges = new RangeSet();
            if (fields.TryGetValue("ranges", out string? text) && text.Length > 0)
            {
                foreach (string part in text.Split(','))
                {
                    string[] bounds = part.Split('-');
                    ranges.Add(new ByteRange(
                        long.Parse(bounds[0], CultureInfo.InvariantCulture),
                        long.Parse(bounds[1], CultureInfo.InvariantCulture)));
                }
            }

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
            };
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static void Delete(string path)
    {
        File.Delete(path);
        File.Delete(path + ".tmp");
    }

    private static void Replace(string source, string destination)
    {
#if NET8_0_OR_GREATER
        File.Move(source, destination, overwrite: true);
#else
        if (File.Exists(destination))
        {
            File.Replace(source, destination, null);
        }
        else
        {
            File.Move(source, destination);
        }
#endif
    }
}
