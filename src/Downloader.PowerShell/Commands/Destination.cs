using System;
using System.IO;
using System.Management.Automation;
using Downloader.Core;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Turns -Destination into a request: resolved against the current PowerShell location (not the process directory),
/// a folder when it is one (or ends with a separator, or is omitted), a file path otherwise.
/// </summary>
internal static class Destination
{
    public static DownloadRequest Request(PSCmdlet cmdlet, Uri uri, string? destination)
    {
        string target = cmdlet.GetUnresolvedProviderPathFromPSPath(string.IsNullOrEmpty(destination) ? "." : destination);
        bool folder = destination == null || Directory.Exists(target) ||
            destination.EndsWith("/", StringComparison.Ordinal) || destination.EndsWith("\\", StringComparison.Ordinal);
        return new DownloadRequest(uri)
        {
            Directory = folder ? target : Path.GetDirectoryName(target)!,
            OutputPath = folder ? null : target,
        };
    }
}
