using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using Downloader.Core.Queue;
using Downloader.Core.Service;
using Downloader.PowerShell.Output;
using Downloader.PowerShell.Queue;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Register-/Unregister-DownloadService's work: the trigger's definition (the engine's text builders) written for the
/// worker command this module runs, and the OS tool run to register it. A tool that fails (no user service manager,
/// as in a container) is a warning naming the command to type, not a failure: the definition is in place.
/// </summary>
internal static class ServiceCommands
{
    public static DownloadService Register(PSCmdlet cmdlet, ServiceTrigger trigger)
    {
        WorkerCommand command = WorkerHost.Command((string)cmdlet.SessionState.PSVariable.GetValue("PSHOME"), trigger.Folder.Root);
        trigger.Write(trigger.Definition(command.Program, command.Arguments));
        string? problem = RunAll(cmdlet, trigger.InstallCommands());
        if (problem != null && trigger.HasLogonOnlyFallback)
        {
            // Task Scheduler may refuse a standard user the startup trigger or S4U: the logon task is always theirs.
            trigger.Write(trigger.Definition(command.Program, command.Arguments, atStartup: false));
            string? again = RunAll(cmdlet, trigger.InstallCommands());
            if (again == null)
            {
                cmdlet.WriteWarning($"Task Scheduler refused the task at startup ({problem}); it is registered to start the worker at your logon only. An administrator can register it at startup too.");
            }

            problem = again;
        }

        if (problem != null)
        {
            cmdlet.WriteWarning(problem);
        }

        return new DownloadService(trigger.Kind, trigger.DefinitionPath, true, WorkerLauncher.Quote(new[] { command.Program }.Concat(command.Arguments)));
    }

    public static DownloadService Unregister(PSCmdlet cmdlet, ServiceTrigger trigger)
    {
        if (trigger.IsInstalled)
        {
            if (RunAll(cmdlet, trigger.UninstallCommands()) is string problem)
            {
                cmdlet.WriteWarning(problem);
            }

            System.IO.File.Delete(trigger.DefinitionPath);
        }

        return new DownloadService(trigger.Kind, trigger.DefinitionPath, false, string.Empty);
    }

    /// <summary>Runs the commands in turn; null when all succeeded, else what failed, as a warning's text.</summary>
    private static string? RunAll(PSCmdlet cmdlet, IEnumerable<string[]> commands)
    {
        foreach (string[] command in commands)
        {
            string line = WorkerLauncher.Quote(command);
            cmdlet.WriteVerbose(line);
            string? problem = Run(command);
            if (problem != null)
            {
                return $"'{line}' did not succeed ({problem}); the definition is written: run the command yourself once the service manager is there.";
            }
        }

        return null;
    }

    private static string? Run(string[] command)
    {
        var info = new ProcessStartInfo(command[0], WorkerLauncher.Quote(command.Skip(1)))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        try
        {
            using Process process = Process.Start(info)!;
            process.StandardOutput.ReadToEndAsync();
            string error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                return "it did not end within 30 s";
            }

            return process.ExitCode == 0 ? null : $"exit code {process.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}
