using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Downloader.Core.Storage;

/// <summary>Publishes a finished part file under its final name in one rename.</summary>
/// <remarks>
/// On Linux the rename is one call: <c>renameat2</c> with RENAME_NOREPLACE refuses an existing final name atomically
/// (where .NET's move looks at both names first, three calls more, and then renames, which could still overwrite a
/// file created in between), and a plain <c>rename</c> replaces when asked to. A file system or libc without
/// renameat2 falls back to .NET's move.
/// </remarks>
internal static class FileMover
{
    private static readonly bool IsLinux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
    private static volatile bool _nativeRename = IsLinux;

    public static void Publish(string partPath, string finalPath, bool overwrite)
    {
        if (_nativeRename && TryNativeRename(partPath, finalPath, overwrite))
        {
            return;
        }

        try
        {
#if NET8_0_OR_GREATER
            File.Move(partPath, finalPath, overwrite);
#else
            if (overwrite && File.Exists(finalPath))
            {
                File.Replace(partPath, finalPath, null);
            }
            else
            {
                File.Move(partPath, finalPath);
            }
#endif
        }
        catch (IOException) when (!overwrite && File.Exists(finalPath))
        {
            throw Exists(partPath, finalPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadException(DownloadErrorKind.Storage, $"Cannot rename '{partPath}' to '{finalPath}': {e.Message}", e);
        }
    }

    /// <summary>True when renamed; false to let .NET's move do it (and word any error).</summary>
    private static bool TryNativeRename(string partPath, string finalPath, bool overwrite)
    {
        try
        {
            int result = overwrite
                ? NativeMethods.rename(partPath, finalPath)
                : NativeMethods.renameat2(NativeMethods.AtFdCwd, partPath, NativeMethods.AtFdCwd, finalPath, NativeMethods.RenameNoReplace);
            if (result == 0)
            {
                return true;
            }

            if (!overwrite && Marshal.GetLastWin32Error() == NativeMethods.EExist)
            {
                throw Exists(partPath, finalPath);
            }

            // EINVAL (a file system without RENAME_NOREPLACE), or a real error that .NET's move will word.
            return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _nativeRename = false;
            return false;
        }
    }

    private static DownloadException Exists(string partPath, string finalPath) =>
        new(DownloadErrorKind.FileExists, $"'{finalPath}' already exists; use -Force/--force to overwrite it. The complete data is kept in '{partPath}'.");
}
