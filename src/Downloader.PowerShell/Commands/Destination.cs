using System;
using System.IO;
using System.Management.Automation;
using Downloader.Core;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Turns -Destination into a request: resolved against the current PowerShell location (not the process directory),
/// a folder when it is one (or ends with a separator, or is omitted), a file path otherwise.
/// </summary>
/// <remarks>
/// One instance serves one command and remembers its last answer: on Linux, resolving a provider path reads
/// <c>/proc/self/mountinfo</c>, and a pipeline of 100,000 URLs into one folder would do that 100,000 times. The answer
/// is reused only while both the -Destination text and the current location are unchanged, so a script that moves
/// between records still gets each record resolved where it stands.
/// </remarks>
internal sealed class Destination
{
    private string? _lastDestination;
    private string? _lastLocation;
    private string? _directory;
    private string? _outputPath;

    public DownloadRequest Request(PSCmdlet cmdlet, Uri uri, string? destination)
    {
        string location = cmdlet.SessionState.Path.CurrentLocation.Path;
        if (_directory == null || destination != _lastDestination || location != _lastLocation)
        {
            string target = cmdlet.GetUnresolvedProviderPathFromPSPath(string.IsNullOrEmpty(destination) ? "." : destination);
            bool folder = destination == null || Directory.Exists(target) ||
                destination.EndsWith("/", StringComparison.Ordinal) || destination.EndsWith("\\", StringComparison.Ordinal);
            _directory = folder ? target : Path.GetDirectoryName(target)!;
            _outputPath = folder ? null : target;
            _lastDestination = destination;
            _lastLocation = location;
        }

        return new DownloadRequest(uri) { Directory = _directory, OutputPath = _outputPath };
    }
}
