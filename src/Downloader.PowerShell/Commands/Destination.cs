using System;
using System.IO;
using System.Management.Automation;
using Downloader.Core;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Turns -Destination into a request: resolved against the current PowerShell location (not the process directory),
/// a folder when it is one (or ends with a separator, or is omitted, or serves several URLs), a file path otherwise.
/// </summary>
/// <remarks>
/// A path that is not a folder yet names a file only when it serves one URL: a command line's single -Uri, or one
/// record's own Destination property. A -Destination given once for a list (piped URLs, or several -Uri) is a folder,
/// created when missing: read as a file path, every URL of the list would be saved under that one name, as "name",
/// "name (1)", "name (2)"..., and the list's own file names would be lost.
/// <para>
/// One instance serves one command and remembers its last answer: on Linux, resolving a provider path reads
/// <c>/proc/self/mountinfo</c>, and a pipeline of 100,000 URLs into one folder would do that 100,000 times. The answer
/// is reused only while both the -Destination text and the current location are unchanged, so a script that moves
/// between records still gets each record resolved where it stands.
/// </para>
/// </remarks>
internal sealed class Destination
{
    private string? _lastDestination;
    private string? _lastLocation;
    private string? _directory;
    private string? _outputPath;

    /// <param name="cmdlet">The command, for its location and provider paths.</param>
    /// <param name="uri">The URL to download.</param>
    /// <param name="destination">-Destination as bound for this record; null when omitted.</param>
    /// <param name="forList">The destination serves several URLs, so it is a folder whatever it holds now.</param>
    public DownloadRequest Request(PSCmdlet cmdlet, Uri uri, string? destination, bool forList = false)
    {
        string location = cmdlet.SessionState.Path.CurrentLocation.Path;
        if (_directory == null || destination != _lastDestination || location != _lastLocation)
        {
            string target = cmdlet.GetUnresolvedProviderPathFromPSPath(string.IsNullOrEmpty(destination) ? "." : destination);
            bool folder = destination == null || forList || Directory.Exists(target) ||
                destination.EndsWith("/", StringComparison.Ordinal) || destination.EndsWith("\\", StringComparison.Ordinal);
            if (forList && destination != null && Path.HasExtension(target) && !Directory.Exists(target) && !File.Exists(target))
            {
                // "out.zip" for piped URLs was most likely meant as a file name: say what it became, once.
                cmdlet.WriteWarning($"-Destination '{destination}' does not exist and serves a list of URLs, so it is created as a folder. To save one URL under that file name, give the URL as -Uri instead of piping it.");
            }

            _directory = folder ? target : Path.GetDirectoryName(target)!;
            _outputPath = folder ? null : target;
            _lastDestination = destination;
            _lastLocation = location;
        }

        return new DownloadRequest(uri) { Directory = _directory, OutputPath = _outputPath };
    }
}
