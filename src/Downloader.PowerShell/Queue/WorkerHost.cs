using System;
using System.Collections.Generic;
using System.Diagnostics;
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

    /// <summary>
    /// The worker's command line: the shell of the caller's $PSHOME (through the same dotnet host when the caller runs
    /// as <c>dotnet pwsh.dll</c>, as a dotnet tool does, whose pwsh launcher may not find the runtime by itself), setting
    /// the queue folder (so a trigger works the queue it was registered for), importing this module from where it is,
    /// and running the worker.
    /// </summary>
    public static WorkerCommand Command(string psHome, string queueRoot)
    {
        bool desktop = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);
        bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        string shell = Path.Combine(psHome, desktop ? "powershell.exe" : windows ? "pwsh.exe" : "pwsh");
        var arguments = new List<string>();
        string host = Process.GetCurrentProcess().MainModule?.FileName ?? string.Empty;
        if (!desktop && Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase) && File.Exists(Path.Combine(psHome, "pwsh.dll")))
        {
            arguments.Add(Path.Combine(psHome, "pwsh.dll"));
            shell = host;
        }

        if (windows)
        {
            arguments.AddRange(new[] { "-WindowStyle", "Hidden" });
        }

        string manifest = Path.Combine(Path.GetDirectoryName(typeof(WorkerHost).Assembly.Location)!, "Downloader.psd1");
        arguments.AddRange(new[]
        {
            "-NoProfile", "-NonInteractive", "-Command",
            $"$env:{QueueFolder.Variable} = '{Literal(queueRoot)}'; Import-Module '{Literal(manifest)}'; exit [{typeof(WorkerHost).FullName}]::Run()",
        });
        return new WorkerCommand(shell, arguments);
    }

    private static string Literal(string text) => text.Replace("'", "''");
}
