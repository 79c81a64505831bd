using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Downloader.Core.Queue;

namespace Downloader.PowerShell.Queue;

/// <summary>
/// The queue worker as the module runs it: a PowerShell of the same edition as the caller (pwsh, or powershell.exe on
/// Windows PowerShell 5.1), with no profile, importing this module and calling <see cref="Run"/>. The module cannot
/// count on the CLI being installed (nor on a .NET runtime for it under Windows PowerShell), while the shell that
/// imported the module is always there; the OS triggers start the same command line.
/// </summary>
public static class WorkerHost
{
    /// <summary>Works the queue until it is empty; the process exit code (0 also when another worker has the queue).</summary>
    public static int Run() => new QueueWorker(DownloadQueue.Open()).Run(CancellationToken.None);

    /// <summary>The shell to start the worker with, from the caller's $PSHOME.</summary>
    public static string ShellPath(string psHome)
    {
        bool desktop = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);
        bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        return Path.Combine(psHome, desktop ? "powershell.exe" : windows ? "pwsh.exe" : "pwsh");
    }

    /// <summary>
    /// The shell's arguments: set the queue folder (so a trigger works the queue it was registered for), import this
    /// module from where it is, and run the worker.
    /// </summary>
    public static IReadOnlyList<string> Arguments(string queueRoot)
    {
        string manifest = Path.Combine(Path.GetDirectoryName(typeof(WorkerHost).Assembly.Location)!, "Downloader.psd1");
        var arguments = new List<string>();
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            arguments.AddRange(new[] { "-WindowStyle", "Hidden" });
        }

        arguments.AddRange(new[]
        {
            "-NoProfile", "-NonInteractive", "-Command",
            $"$env:{QueueFolder.Variable} = '{Literal(queueRoot)}'; Import-Module '{Literal(manifest)}'; exit [{typeof(WorkerHost).FullName}]::Run()",
        });
        return arguments;
    }

    private static string Literal(string text) => text.Replace("'", "''");
}
