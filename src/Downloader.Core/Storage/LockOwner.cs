using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Downloader.Core.Storage;

/// <summary>Who holds a <see cref="TargetLock"/>: the process and the URL it downloads, as the owner wrote them.</summary>
internal sealed class LockOwner
{
    private LockOwner(int processId, string url)
    {
        ProcessId = processId;
        Url = url;
    }

    /// <summary>A holder that never wrote itself into the file (not a downloader, or one that hung).</summary>
    public static LockOwner Unknown { get; } = new(0, string.Empty);

    public int ProcessId { get; }

    /// <summary>The owner's URL, its password redacted.</summary>
    public string Url { get; }

    /// <summary>This process's id, asked once (each <see cref="Process.GetCurrentProcess"/> makes an object).</summary>
    public static int ThisProcessId { get; } = Process.GetCurrentProcess().Id;

    public bool IsThisProcess => ProcessId == ThisProcessId;

    /// <summary>"process 1234", or "another download of this process".</summary>
    public string Describe() => ProcessId == 0 ? "another process" : IsThisProcess ? $"another download of this process ({ProcessId})" : $"process {ProcessId}";

    /// <summary>The owner written in a locked file; null when it has not written itself yet, or the file is gone.</summary>
    public static LockOwner? Read(string path)
    {
        string? text = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? DownloadFiles.ReadShared(path) : ReadUnlocked(path);
        string[] lines = (text ?? string.Empty).Split('\n');
        return lines.Length >= 2 && int.TryParse(lines[0], out int pid) && lines[1].Length > 0 ? new LockOwner(pid, lines[1]) : null;
    }

    /// <summary>Plain open/read: a .NET open would ask for a shared flock, which the owner's exclusive one refuses.</summary>
    private static string? ReadUnlocked(string path)
    {
        try
        {
            int fd = NativeMethods.open(path, NativeMethods.ReadOnly);
            if (fd < 0)
            {
                return null;
            }

            try
            {
                var buffer = new byte[8192];
                long read = NativeMethods.read(fd, buffer, (IntPtr)buffer.Length).ToInt64();
                return read > 0 ? Encoding.UTF8.GetString(buffer, 0, (int)read) : null;
            }
            finally
            {
                NativeMethods.close(fd);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
