using System;
using System.IO;
using Downloader.Core.Planning;
using Downloader.Core.Probing;
using Downloader.Core.Resume;

namespace Downloader.Core.Storage;

/// <summary>
/// The files a download keeps beside its destination while it runs: <c>NAME.part</c> with the bytes and
/// <c>NAME.downloader</c> with the resume state. Small operations on them, each tolerant of what a crash leaves.
/// </summary>
internal static class DownloadFiles
{
    /// <summary>
    /// Gives the part file the server's Last-Modified time before it is flushed, so one flush covers data and time,
    /// and a later run can ask "changed since?" and get a 304.
    /// </summary>
    public static void Stamp(PartFile part, ProbeResult probe)
    {
        if (probe.LastModified is DateTimeOffset modified)
        {
            try
            {
                part.SetLastWriteTimeUtc(modified.UtcDateTime);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Whether the part file can hold what the state file says is in it.</summary>
    public static bool PartHolds(string partPath, RangeSet done, long length)
    {
        var info = new FileInfo(partPath);
        long needed = done.Ranges.Count == 0 ? 0 : done.Ranges[done.Ranges.Count - 1].End;
        return info.Exists && info.Length >= needed && info.Length <= length;
    }

    /// <summary>Creates the folder of <paramref name="path"/> once per client: <paramref name="known"/> remembers it.</summary>
    public static void CreateDirectory(string path, System.Collections.Concurrent.ConcurrentDictionary<string, byte> known)
    {
        string directory = Path.GetDirectoryName(path)!;
        if (known.ContainsKey(directory))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(directory);
            known.TryAdd(directory, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadException(DownloadErrorKind.Storage, $"Cannot create the folder for '{path}': {e.Message}", e);
        }
    }

    /// <summary>Deletes the part and state files of the download whose final path is <paramref name="path"/>.</summary>
    public static void DiscardPartial(string path)
    {
        TryDelete(path + PartFile.Extension);
        TryDelete(path + ResumeStateFile.Extension);
        TryDelete(path + ResumeStateFile.Extension + ".tmp");
    }

    /// <summary>A small file's text, read while another process may rename a new one over it; null when it is gone or held.</summary>
    public static string? ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
