using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace Downloader.Core.Storage;

/// <summary>
/// The promise kept without a flush per file (Linux): a finished file is renamed as soon as its bytes are written, and a
/// power loss may take back the bytes of files renamed in the last seconds before it. So before the first such rename
/// into a folder in each boot, the folder's <see cref="FolderNote"/> durably records the boot and the time; and a later
/// boot does not trust a file renamed there since then (its change time says when): <c>LocalCopy</c> judges it
/// damaged unless an expected hash proves it, and it is downloaded again in its place. Unless the run that renamed it
/// reached its end: then one <c>syncfs</c> per file system made its files durable together and the note records up
/// to when (<see cref="ConfirmAsync"/>), so only a run that was killed or cut by the power loss costs re-downloads.
/// </summary>
/// <remarks>
/// A power loss is always followed by a new boot, and within one boot the page cache holds every byte written, so the
/// boot id is what tells a file that may have lost its bytes from one that cannot have. One per client: each folder's
/// note is read once, written at most once.
/// </remarks>
internal sealed class UnflushedFolders
{
    // A note's time and a file's change time come from the same clock (see CoarseNowMs); the slack covers a clock set
    // back a little between the note and a rename, and only ever makes more files suspect.
    private const long ClockSlackMs = 1000;
    private const int ClockRealtimeCoarse = 5;
    private const uint StatxCtime = 0x80;
    private static readonly string? BootId = ReadBootId();
    private readonly ConcurrentDictionary<string, Folder> _folders = new(StringComparer.Ordinal);

    /// <summary>Whether files can be renamed unflushed here at all: Linux, with a boot id to note.</summary>
    public static bool Supported => BootId != null;

    /// <summary>
    /// Notes, once per folder and boot, that files are renamed into <paramref name="finalPath"/>'s folder unflushed;
    /// false when the folder cannot hold the note, so the file must be flushed before its rename.
    /// </summary>
    public bool Note(string finalPath)
    {
        if (BootId == null)
        {
            return false;
        }

        Folder folder = _folders.GetOrAdd(Path.GetDirectoryName(finalPath)!, path => new Folder(path));
        lock (folder)
        {
            if (folder.Noted == null)
            {
                long? since = SafeEnsure(folder.Path);
                folder.Noted = since != null;
                folder.ThisBootSince = since;
            }

            return folder.Noted.Value;
        }
    }

    /// <summary>
    /// Whether the file at <paramref name="path"/> was renamed unflushed in an earlier boot (and not again since), so
    /// a power loss may have taken its bytes while its name, size and date stayed.
    /// </summary>
    public bool MayBeLost(string path)
    {
        if (BootId == null)
        {
            return false;
        }

        Folder folder = _folders.GetOrAdd(Path.GetDirectoryName(path)!, p => new Folder(p));
        FolderNote? note;
        long? thisBoot;
        lock (folder)
        {
            folder.Note ??= SafeRead(folder.Path);
            note = folder.Note;
            thisBoot = folder.ThisBootSince ?? note?.ThisBoot?.Since;
        }

        if (note == null || !note.HasEarlier)
        {
            return false;
        }

        long? changed = ChangeTimeMs(path);
        if (changed == null)
        {
            return true;
        }

        return !(changed >= thisBoot) && note.EarlierMayBeLost(changed.Value, ClockSlackMs);
    }

    /// <summary>
    /// The end of a run: makes every file this client renamed unflushed durable in one step, and records so in each
    /// folder's note, so a later boot trusts them (<see cref="FolderNote"/>). Bounded by <paramref name="bound"/>:
    /// past it, or if the process dies first, nothing is confirmed and those files stay suspect after a restart.
    /// </summary>
    public Task ConfirmAsync(TimeSpan bound)
    {
        string[] folders = _folders.Values.Where(f => f.Noted == true).Select(f => f.Path).ToArray();
        if (BootId == null || folders.Length == 0)
        {
            return Task.CompletedTask;
        }

        var confirmation = new FolderConfirmation(BootId, folders);
        return confirmation.RunAsync(bound);
    }

    /// <summary>
    /// Now, by the clock the kernel stamps change times with (CLOCK_REALTIME_COARSE, up to a tick behind the precise
    /// one): a file renamed after the note has a change time no earlier, which the precise clock would not promise.
    /// </summary>
    internal static long CoarseNowMs() =>
        NativeMethods.clock_gettime(ClockRealtimeCoarse, out NativeMethods.TimeSpec now) == 0
            ? (now.Seconds * 1000) + (now.Nanoseconds / 1_000_000)
            : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ClockSlackMs;

    private static long? SafeEnsure(string folder)
    {
        try
        {
            return FolderNote.Ensure(folder, BootId!, CoarseNowMs());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static FolderNote? SafeRead(string folder)
    {
        try
        {
            return FolderNote.Read(folder, BootId!);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The file's change time in Unix milliseconds (statx); null where it cannot be had.</summary>
    private static long? ChangeTimeMs(string path)
    {
        var buffer = new byte[256];
        try
        {
            if (NativeMethods.statx(NativeMethods.AtFdCwd, path, 0, StatxCtime, buffer) != 0 || (BitConverter.ToUInt32(buffer, 0) & StatxCtime) == 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        // struct statx: stx_ctime at byte 96, tv_sec (64 bits) then tv_nsec (32 bits).
        return (BitConverter.ToInt64(buffer, 96) * 1000) + (BitConverter.ToUInt32(buffer, 104) / 1_000_000);
    }

    private static string? ReadBootId()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return null;
        }

        try
        {
            string id = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            return id.Length > 0 ? id : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed class Folder
    {
        public Folder(string path)
        {
            Path = path;
        }

        public string Path { get; }

        /// <summary>The note as first read; null until a file of the folder is judged.</summary>
        public FolderNote? Note { get; set; }

        /// <summary>This client's line of this boot, once written (or found).</summary>
        public long? ThisBootSince { get; set; }

        /// <summary>Null until the first rename; then whether the folder holds this boot's line.</summary>
        public bool? Noted { get; set; }
    }
}
