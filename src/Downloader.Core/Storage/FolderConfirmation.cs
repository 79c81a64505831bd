using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Storage;

/// <summary>
/// The end-of-run step that lets a later boot trust a run's unflushed files: take a time T, make the file systems of
/// the folders written durable (one <c>syncfs</c> each, not one flush per file), then record "changed before T: on
/// disk" in each folder's note (<see cref="FolderNote.Confirm"/>, the folder fsynced).
/// </summary>
/// <remarks>
/// T is taken before the syncfs, so every file changed before T had its bytes and its name in the page cache when the
/// syncfs began, and the syncfs wrote them; a file changed after T (another run's, or one renamed while the syncfs
/// ran) has a change time of T or later and stays suspect. T is read on the first tick of the kernel's coarse clock
/// after the run's last rename, so that rename's change time is strictly before T and the run's files are all covered.
/// It runs on a thread of its own, since syncfs blocks until the disk answers; the run waits for it at most its bound,
/// and past the bound (a disk busy with other programs' writes) nothing more is confirmed: the run then costs what an
/// unconfirmed one does, the re-download of its files after a restart.
/// </remarks>
internal sealed class FolderConfirmation
{
    private const int MaxTickWaits = 100;
    private readonly string _bootId;
    private readonly string[] _folders;
    private int _abandoned;

    public FolderConfirmation(string bootId, string[] folders)
    {
        _bootId = bootId;
        _folders = folders;
    }

    /// <summary>Confirms what it can within <paramref name="bound"/>; never faults.</summary>
    public async Task RunAsync(TimeSpan bound)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() => Work(done)) { IsBackground = true, Name = "Downloader confirm" }.Start();
        using var timeout = new CancellationTokenSource();
        Task finished = await Task.WhenAny(done.Task, Task.Delay(bound, timeout.Token)).ConfigureAwait(false);
        timeout.Cancel();
        if (finished != done.Task)
        {
            // A confirmation written a moment after this would still be true (T came before the syncfs); this only
            // keeps a run that has moved on from writing notes behind its back.
            Volatile.Write(ref _abandoned, 1);
        }
    }

    private void Work(TaskCompletionSource<bool> done)
    {
        try
        {
            Confirm();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No syncfs: nothing is confirmed, the files stay suspect after a restart.
        }
        finally
        {
            done.TrySetResult(true);
        }
    }

    private void Confirm()
    {
        long? upTo = NextTick();
        if (upTo == null)
        {
            return;
        }

        var durable = new List<string>();
        foreach (IGrouping<string, string> fileSystem in _folders.GroupBy(Device))
        {
            if (Volatile.Read(ref _abandoned) == 0 && SyncFileSystem(fileSystem.First()))
            {
                durable.AddRange(fileSystem);
            }
        }

        foreach (string folder in durable.TakeWhile(_ => Volatile.Read(ref _abandoned) == 0))
        {
            FolderNote.Confirm(folder, _bootId, upTo.Value);
        }
    }

    // The coarse clock moves once per kernel tick (1 to 10 ms); a short bounded wait for its next value, null if it
    // does not move (a clock stopped or set back: confirm nothing).
    private static long? NextTick()
    {
        long last = UnflushedFolders.CoarseNowMs();
        for (int i = 0; i < MaxTickWaits; i++)
        {
            long now = UnflushedFolders.CoarseNowMs();
            if (now > last)
            {
                return now;
            }

            Thread.Sleep(1);
        }

        return null;
    }

    private static bool SyncFileSystem(string folder)
    {
        int fd = NativeMethods.open(folder, NativeMethods.ReadOnly);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return NativeMethods.syncfs(fd) == 0;
        }
        finally
        {
            NativeMethods.close(fd);
        }
    }

    // The folder's device (statx's stx_dev_major and stx_dev_minor), so each file system is synced once; the folder
    // itself where it cannot be told.
    private static string Device(string folder)
    {
        var buffer = new byte[256];
        return NativeMethods.statx(NativeMethods.AtFdCwd, folder, 0, 0, buffer) == 0
            ? BitConverter.ToUInt32(buffer, 136) + ":" + BitConverter.ToUInt32(buffer, 140)
            : folder;
    }
}
