using System;
using System.IO;

namespace Downloader.Core.Storage;

/// <summary>Publishes a finished part file under its final name in one rename.</summary>
internal static class FileMover
{
    public static void Publish(string partPath, string finalPath, bool overwrite)
    {
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
            throw new DownloadException(DownloadErrorKind.FileExists, $"'{finalPath}' already exists; use -Force/--force to overwrite it. The complete data is kept in '{partPath}'.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadException(DownloadErrorKind.Storage, $"Cannot rename '{partPath}' to '{finalPath}': {e.Message}", e);
        }
    }
}
