using System.IO;
using System.Runtime.InteropServices;

namespace Downloader.Core.Storage;

/// <summary>Makes a file that holds secrets (a cookie jar) readable by its owner only, where the runtime can say so.</summary>
internal static class OwnerOnly
{
    public static void Apply(string path)
    {
#if NET8_0_OR_GREATER
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
#else
        // netstandard2.0 has no portable mode API; the module does not write cookie jars.
        _ = path;
#endif
    }
}
