namespace Downloader.PowerShell.Output;

/// <summary>What Register-DownloadService and Unregister-DownloadService write: the trigger, where it is defined, what starts.</summary>
public sealed class DownloadService
{
    internal DownloadService(string kind, string path, bool installed, string command)
    {
        Kind = kind;
        Path = path;
        Installed = installed;
        Command = command;
    }

    /// <summary>The systemd user unit, launchd agent or Task Scheduler task.</summary>
    public string Kind { get; }

    /// <summary>The definition file.</summary>
    public string Path { get; }

    public bool Installed { get; }

    /// <summary>The command line the trigger starts: the queue worker.</summary>
    public string Command { get; }
}
