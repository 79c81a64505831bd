using System;
using System.Globalization;
using System.Text;

namespace Downloader.Core.Storage;

/// <summary>
/// A folder's note of the files renamed into it without a flush: the extended attribute <c>user.downloader.unflushed</c>
/// of the folder, one line per boot, "BOOT-ID SINCE" (SINCE in Unix milliseconds: the first such rename of that boot
/// came after it). Only the earliest time of any other boot matters to a reader, so the note never holds more than two
/// lines: this boot's and one for every earlier boot together.
/// </summary>
/// <remarks>
/// An attribute rather than a file, so the folder holds only the downloads (no listing, count or checksum of the folder
/// changes). It is written under an exclusive <c>flock</c> of the folder, so two runs of one boot never lose each
/// other's line, and made durable with an <c>fsync</c> of the folder before any rename it covers.
/// </remarks>
internal sealed class FolderNote
{
    public const string AttributeName = "user.downloader.unflushed";
    private const int MaxBytes = 4096;

    /// <summary>The earliest unflushed rename of any earlier boot; null: none.</summary>
    public long? EarlierSince { get; private set; }

    /// <summary>The earliest unflushed rename of this boot; null: none yet.</summary>
    public long? ThisBootSince { get; private set; }

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
        int fd = NativeMethods.open(folder, NativeMethods.ReadOnly);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            if (NativeMethods.flock(fd, NativeMethods.LockExclusive) != 0)
            {
                return null;
            }

            var buffer = new byte[MaxBytes];
            long length = NativeMethods.fgetxattr(fd, AttributeName, buffer, (IntPtr)buffer.Length).ToInt64();
            FolderNote note = Parse(length > 0 ? Encoding.ASCII.GetString(buffer, 0, (int)length) : "", bootId);
            if (note.ThisBootSince is long since)
            {
                return since;
            }

            note.ThisBootSince = now;
            byte[] text = Encoding.ASCII.GetBytes(note.Format(bootId));
            bool written = NativeMethods.fsetxattr(fd, AttributeName, text, (IntPtr)text.Length, 0) == 0 && NativeMethods.fsync(fd) == 0;
            return written ? now : null;
        }
        finally
        {
            NativeMethods.close(fd);
        }
    }

    private static FolderNote Parse(string text, string bootId)
    {
        var note = new FolderNote();
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Split(' ');
            if (fields.Length != 2 || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long since))
            {
                continue;
            }

            if (fields[0] == bootId)
            {
                note.ThisBootSince = Math.Min(note.ThisBootSince ?? long.MaxValue, since);
            }
            else
            {
                note.EarlierSince = Math.Min(note.EarlierSince ?? long.MaxValue, since);
            }
        }

        return note;
    }

    // Every earlier boot in one line: its id only has to differ from this boot's.
    private string Format(string bootId)
    {
        var text = new StringBuilder();
        if (EarlierSince is long earlier)
        {
            text.Append("earlier ").Append(earlier.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.Append(bootId).Append(' ').Append(ThisBootSince!.Value.ToString(CultureInfo.InvariantCulture)).Append('\n').ToString();
    }
}
