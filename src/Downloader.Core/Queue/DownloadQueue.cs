using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Downloader.Core.Storage;

namespace Downloader.Core.Queue;

/// <summary>
/// The user's durable queue: a folder of small JSON files, one per entry (<c>entries/ID.json</c>), each written whole
/// to a temporary file and renamed over the old one, so a reader in any process, or a kill at any instant, sees the
/// old entry or the new, never half of one. Whoever holds the worker lock (<see cref="TryLockWorker"/>) is the one
/// writer of existing entries; anyone adds new ones (a new id is claimed by creating its file exclusively) and
/// asks for changes through <c>ID.request</c> files, which the lock holder applies.
/// </summary>
public sealed class DownloadQueue
{
    private static readonly Uri WorkerTag = new("about:downloader-queue-worker");
    /// <summary>What a process holding the worker lock only to apply requests (<see cref="QueueControl"/>) writes in it.</summary>
    private static readonly Uri AskerTag = new("about:downloader-queue-asker");
    /// <summary>How often, and how many times, a taker of the lock looks again while an asker holds it for its moment.</summary>
    private static readonly TimeSpan AskerRetry = TimeSpan.FromMilliseconds(10);
    private const int AskerRetries = 500;

    public DownloadQueue(QueueFolder folder) => Folder = folder;

    public QueueFolder Folder { get; }

    public static DownloadQueue Open() => new(QueueFolder.Default());

    /// <summary>Writes <paramref name="entry"/> under a new id and returns it with that id.</summary>
    public QueueEntry Add(QueueEntry entry)
    {
        Directory.CreateDirectory(Folder.Entries);
        // Past the highest id ever given, not only the highest still there: a script holding a removed entry (or its
        // id) must not reach whichever entry would take its id next.
        int id = Math.Max(List().Select(e => e.Id).DefaultIfEmpty(0).Max(), LastId()) + 1;
        for (int attempt = 0; attempt < 1000; attempt++, id++)
        {
            // The id is claimed by creating its file exclusively (File.Move without overwrite is a check and then a
            // rename on Unix, which two processes can pass at once); the entry is then renamed over the empty file.
            string path = Folder.EntryFile(id);
            try
            {
                new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
            }
            catch (IOException) when (File.Exists(path))
            {
                continue;
            }

            QueueEntry numbered = entry with { Id = id };
            AtomicFile.Replace(WriteTemp(path, QueueEntryFile.ToJson(numbered)), path);
            if (id > LastId())
            {
                AtomicFile.Replace(WriteTemp(Folder.LastId, id.ToString(CultureInfo.InvariantCulture)), Folder.LastId);
            }

            return numbered;
        }

        throw new IOException($"Cannot add to the queue in '{Folder.Root}': no free id.");
    }

    /// <summary>Every entry, by id; a file that cannot be read (being replaced on Windows, damaged) is left out.</summary>
    public IReadOnlyList<QueueEntry> List()
    {
        if (!Directory.Exists(Folder.Entries))
        {
            return Array.Empty<QueueEntry>();
        }

        return Directory.GetFiles(Folder.Entries, "*.json")
            .Select(f => DownloadFiles.ReadShared(f) is string text ? QueueEntryFile.Parse(text) : null)
            .OfType<QueueEntry>()
            .OrderBy(e => e.Id)
            .ToList();
    }

    private int LastId() =>
        int.TryParse(DownloadFiles.ReadShared(Folder.LastId)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int last) ? last : 0;

    public QueueEntry? Get(int id) => DownloadFiles.ReadShared(Folder.EntryFile(id)) is string text ? QueueEntryFile.Parse(text) : null;

    /// <summary>Replaces an entry's file; for the worker lock's holder only.</summary>
    public void Save(QueueEntry entry)
    {
        string path = Folder.EntryFile(entry.Id);
        AtomicFile.Replace(WriteTemp(path, QueueEntryFile.ToJson(entry with { Updated = DateTimeOffset.UtcNow })), path);
    }

    /// <summary>Removes an entry's file; for the worker lock's holder only.</summary>
    public void Delete(int id)
    {
        DownloadFiles.TryDelete(Folder.EntryFile(id));
        DownloadFiles.TryDelete(Folder.RequestFile(id));
        DownloadFiles.TryDelete(Folder.ChangeFile(id));
    }

    /// <summary>Asks the lock holder to act on an entry; a later request for the same entry replaces an earlier one.</summary>
    public void Ask(int id, QueueRequest request)
    {
        string path = Folder.RequestFile(id);
        AtomicFile.Replace(WriteTemp(path, request.ToString()), path);
    }

    /// <summary>
    /// Asks the lock holder to change an entry's limits. A change still waiting is merged with this one (its values
    /// not given here stay), so a second Set-Download before the worker's next look loses nothing of the first.
    /// </summary>
    public void AskChange(int id, LimitChange change)
    {
        string path = Folder.ChangeFile(id);
        // Askers take turns (read, merge, write): two at once would each write what it read plus its own, and the
        // second rename would drop the first's change. The lock holder needs no turn: it claims the file by a rename,
        // and an asker that read it before then writes it again with its own, which applies the same values twice.
        using IDisposable turn = ChangeTurn(path);
        LimitChange waiting = ReadChange(DownloadFiles.ReadShared(path)) ?? new LimitChange();
        AtomicFile.Replace(WriteTemp(path, FlatJson.Write(waiting.Then(change).Fields())), path);
    }

    /// <summary>The requests waiting, each taken (its file removed) as it is read; for the lock holder.</summary>
    public IReadOnlyList<KeyValuePair<int, QueueRequest>> TakeRequests()
    {
        var taken = new List<KeyValuePair<int, QueueRequest>>();
        foreach (var file in Take("*.request"))
        {
            if (Enum.TryParse(file.Value.Trim(), out QueueRequest request))
            {
                taken.Add(new(file.Key, request));
            }
        }

        return taken;
    }

    /// <summary>The changes of limits waiting (<see cref="AskChange"/>), each taken as it is read; for the lock holder.</summary>
    public IReadOnlyList<KeyValuePair<int, LimitChange>> TakeChanges()
    {
        var taken = new List<KeyValuePair<int, LimitChange>>();
        foreach (var file in Take("*.change"))
        {
            if (ReadChange(file.Value) is LimitChange change)
            {
                taken.Add(new(file.Key, change));
            }
        }

        return taken;
    }

    /// <summary>Whether any request or change waits (a cheap look, for a worker deciding whether it may end).</summary>
    public bool HasRequests() =>
        Directory.Exists(Folder.Entries) && (Directory.GetFiles(Folder.Entries, "*.request").Length > 0 || Directory.GetFiles(Folder.Entries, "*.change").Length > 0);

    /// <summary>The worker lock; null when another worker holds it. It is released when disposed or when its process ends.</summary>
    public IDisposable? TryLockWorker() => Lock(WorkerTag);

    /// <summary>The worker lock for the moment of applying requests when no worker runs; null when a worker holds it.</summary>
    internal IDisposable? TryLockToApply() => Lock(AskerTag);

    /// <summary>The running worker's process id; 0 when none runs (a process applying requests for a moment is none).</summary>
    public int WorkerPid()
    {
        LockOwner? owner = LockOwner.Read(Folder.WorkerLock + TargetLock.Extension);
        return owner != null && owner.Url == WorkerTag.AbsoluteUri && ProcessIsAlive(owner.ProcessId) ? owner.ProcessId : 0;
    }

    /// <summary>
    /// The lock, or null when a worker holds it. An asker holds it only for the moment of applying requests, and is
    /// waited for: a worker that took it for a worker's and left would leave the queue with no worker, and an asker
    /// that left would leave its request to a worker that may never come. So it is given up at once only to a known
    /// worker: an owner not read yet (Unknown) may be an asker taking it in quick turns (seen in CI).
    /// </summary>
    private IDisposable? Lock(Uri tag)
    {
        Directory.CreateDirectory(Folder.Root);
        for (int attempt = 0; ; attempt++)
        {
            IDisposable? held = TargetLock.TryAcquire(Folder.WorkerLock, tag, out LockOwner? owner);
            if (held != null || owner?.Url == WorkerTag.AbsoluteUri || attempt >= AskerRetries)
            {
                return held;
            }

            System.Threading.Thread.Sleep(AskerRetry);
        }
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited && !IsZombie(pid);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>A killed worker whose parent has not reaped it yet is still listed on Linux, as state Z.</summary>
    private static bool IsZombie(int pid)
    {
        string stat = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)
            ? DownloadFiles.ReadShared($"/proc/{pid}/stat") ?? string.Empty
            : string.Empty;
        int end = stat.LastIndexOf(')');
        return end > 0 && end + 2 < stat.Length && stat[end + 2] == 'Z';
    }

    /// <summary>The entry's change file to this asker alone, waiting for another (it holds it for a few milliseconds).</summary>
    private static IDisposable ChangeTurn(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            IDisposable? turn = TargetLock.TryAcquire(path, AskerTag, out _);
            if (turn != null)
            {
                return turn;
            }

            if (attempt >= AskerRetries)
            {
                throw new IOException($"Cannot change queue entry '{Path.GetFileNameWithoutExtension(path)}': another process kept '{path}' for over {AskerRetries * AskerRetry.TotalSeconds:0} s.");
            }

            System.Threading.Thread.Sleep(AskerRetry);
        }
    }

    private static LimitChange? ReadChange(string? text)
    {
        try
        {
            return text == null ? null : LimitChange.Read(new JsonFields(FlatJson.Read(text)));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The request files matching <paramref name="pattern"/>: each entry's id and text, the file removed as it is read.</summary>
    private List<KeyValuePair<int, string>> Take(string pattern)
    {
        var taken = new List<KeyValuePair<int, string>>();
        if (!Directory.Exists(Folder.Entries))
        {
            return taken;
        }

        foreach (string file in Directory.GetFiles(Folder.Entries, pattern))
        {
            // Claimed by a rename before it is read: a request written over it meanwhile (a second Suspend-Download, a
            // merged Set-Download) then makes a new file for the next look. Read, then deleted by name, such a request
            // was deleted unread.
            string claimed = TempName(file);
            try
            {
                File.Move(file, claimed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            string? text = DownloadFiles.ReadShared(claimed);
            DownloadFiles.TryDelete(claimed);
            if (int.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out int id)
                && text != null)
            {
                taken.Add(new(id, text));
            }
        }

        return taken;
    }

    /// <summary>NAME.PID.GUID.tmp: what <see cref="StaleTemps"/> sweeps once its process is gone.</summary>
    private static string TempName(string path) => $"{path}.{LockOwner.ThisProcessId}.{Guid.NewGuid():N}.tmp";

    private static string WriteTemp(string path, string text)
    {
        string temp = TempName(path);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(flushToDisk: true);
        }

        return temp;
    }
}
