using System.IO;
using System.Threading;

namespace Downloader.Core.Storage;

/// <summary>
/// Renames a written temporary file over its destination in one step, on every target framework: the resume state file
/// and the queue's entries. A reader that opened the destination without sharing deletion (Windows) is waited out briefly.
/// </summary>
internal static class AtomicFile
{
    public static void Replace(string temp, string destination)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
#if NET8_0_OR_GREATER
                File.Move(temp, destination, overwrite: true);
#else
                if (File.Exists(destination))
                {
                    File.Replace(temp, destination, null);
                }
                else
                {
                    File.Move(temp, destination);
                }
#endif
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                // Windows: a reader opened the destination without sharing deletion for a moment.
                Thread.Sleep(10);
            }
        }
    }
}
