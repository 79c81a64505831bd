using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Downloader.Core.Storage;

/// <summary>
/// A folder's note of the files renamed into it without a flush: the extended attribute <c>user.downloader.unflushed</c>
/// of the folder, one line per boot, "BOOT-ID SINCE [CONFIRMED]" in Unix milliseconds: the first such rename of that
/// boot came after SINCE, and every file changed before CONFIRMED was on disk by the end of a run of that boot (see
/// <see cref="UnflushedFolders.ConfirmAsync"/>). A file changed in [SINCE, CONFIRMED) of an earlier boot is trusted;
/// one changed at or after CONFIRMED (or with no CONFIRMED) is not.
/// </summary>
/// <remarks>
/// An attribute rather than a file, so the folder holds only the downloads (no listing, count or checksum of the folder
/// changes). It is written under an exclusive <c>flock</c> of the folder, so two runs of one boot never lose each
/// other's line, and made durable with an <c>fsync</c> of the folder. A file's boot is told by its change time: the
/// latest line whose SINCE is not after it. At most <see cref="MaxEarlierBoots"/> earlier lines are kept; beyond that
/// the second oldest goes, its files then judged by the oldest line, which only ever makes more of them suspect.
/// </remarks>
internal sealed class FolderNote
{
    public const string AttributeName = "user.downloader.unflushed";
    private const int MaxBytes = 4096;
    private const int MaxEarlierBoots = 8;
    private readonly List<Line> _earlier = new();

    /// <summary>This boot's line; null: no unflushed rename into the folder yet in this boot.</summary>
    public Line? ThisBoot { get; private set; }

    /// <summary>Whether any earlier boot renamed files into the folder unflushed.</summary>
    public bool HasEarlier => _earlier.Count > 0;

    /// <summary>The note of <paramref name="folder"/> as it is on disk; an empty note where there is none or no attributes.</summary>
    public static FolderNote Read(string folder, string bootId)
    {
        var buffer = new byte[MaxBytes];
        long length = NativeMethods.getxattr(folder, AttributeName, buffer, (IntPtr)buffer.Length).ToInt64();
        return Parse(length > 0 ? Encoding.ASCII.GetString(buffer, 0, (int)length) : "", bootId);
    }

    /// <summary>
    /// Makes sure the note of <paramref name="folder"/> holds a line of this boot, durably; returns this boot's time.
    /// Null when the folder cannot hold a note (no user attributes, no permission): its files must be flushed.
    /// </summary>
    public static long? Ensure(string folder, string bootId, long now)
    {
        long? since = null;
        bool done = Edit(folder, bootId, note =>
        {
            if (note.ThisBoot is Line line)
            {
                since = line.Since;
                return false;
            }

            note.ThisBoot = new Line(bootId, now, null);
            since = now;
            return true;
        });
        return done ? since : null;
    }

    /// <summary>
    /// Records durably that every file of <paramref name="folder"/> changed before <paramref name="upTo"/> in this boot
    /// is on disk. A confirmation only moves forward: an earlier time than the line's (a run that ended later but
    /// took its time first, or a clock set back) leaves it as it is. False where the folder has no line of this boot or
    /// the note cannot be written.
    /// </summary>
    public static bool Confirm(string folder, string bootId, long upTo) =>
        Edit(folder, bootId, note =>
        {
            if (note.ThisBoot is not Line line || upTo <= line.Since || upTo <= line.Confirmed)
            {
                return false;
            }

            note.ThisBoot = line with { Confirmed = upTo };
            return true;
        });

    /// <summary>
    /// Whether a file changed at <paramref name="changed"/> (and not renamed in this boot) was renamed unflushed in an
    /// earlier boot and not confirmed on disk since. <paramref name="slackMs"/> widens the earlier boots backwards.
    /// </summary>
    public bool EarlierMayBeLost(long changed, long slackMs)
    {
        Line? owner = _earlier.LastOrDefault(line => line.Since - slackMs <= changed);
        return owner != null && !(changed < owner.Confirmed);
    }

    // Reads the note under the folder's lock and, if change says so, writes it back and fsyncs the folder. False when
    // the folder cannot be opened, locked or written.
    private static bool Edit(string folder, string bootId, Func<FolderNote, bool> change)
    {
        int fd = NativeMethods.open(folder, NativeMethods.ReadOnly);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            if (NativeMethods.flock(fd, NativeMethods.LockExclusive) != 0)
            {
                return false;
            }

            var buffer = new byte[MaxBytes];
            long length = NativeMethods.fgetxattr(fd, AttributeName, buffer, (IntPtr)buffer.Length).ToInt64();
            FolderNote note = Parse(length > 0 ? Encoding.ASCII.GetString(buffer, 0, (int)length) : "", bootId);
            if (!change(note))
            {
                return note.ThisBoot != null;
            }

            byte[] text = Encoding.ASCII.GetBytes(note.Format());
            return NativeMethods.fsetxattr(fd, AttributeName, text, (IntPtr)text.Length, 0) == 0 && NativeMethods.fsync(fd) == 0;
        }
        finally
        {
            NativeMethods.close(fd);
        }
    }

    private static FolderNote Parse(string text, string bootId)
    {
        var note = new FolderNote();
        foreach (string row in text.Split('\n'))
        {
            if (Line.Parse(row) is not Line line)
            {
                continue;
            }

            if (line.Boot == bootId)
            {
                note.ThisBoot = line;
            }
            else
            {
                note._earlier.Add(line);
            }
        }

        note._earlier.Sort((a, b) => a.Since.CompareTo(b.Since));
        while (note._earlier.Count > MaxEarlierBoots)
        {
            note._earlier.RemoveAt(1);
        }

        return note;
    }

    private string Format()
    {
        var text = new StringBuilder();
        foreach (Line line in _earlier.Concat(ThisBoot is Line own ? new[] { own } : Array.Empty<Line>()))
        {
            text.Append(line.Boot).Append(' ').Append(line.Since.ToString(CultureInfo.InvariantCulture));
            if (line.Confirmed is long confirmed)
            {
                text.Append(' ').Append(confirmed.ToString(CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One boot's line: its id, its first unflushed rename, and the end of its last confirmed run if any.</summary>
    internal sealed record Line(string Boot, long Since, long? Confirmed)
    {
        public static Line? Parse(string row)
        {
            string[] fields = row.Split(' ');
            if (fields.Length is < 2 or > 3 || !TryTime(fields[1], out long since))
            {
                return null;
            }

            long? confirmed = fields.Length == 3 && TryTime(fields[2], out long c) ? c : null;
            return new Line(fields[0], since, confirmed);
        }

        private static bool TryTime(string text, out long value) =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
