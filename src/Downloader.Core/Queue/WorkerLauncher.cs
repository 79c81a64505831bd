using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace Downloader.Core.Queue;

/// <summary>
/// Starts a queue worker detached from the caller, so that closing the console, logging off or killing the shell
/// that queued the items does not stop it: on Linux in a session of its own (<c>setsid</c>), elsewhere on Unix with
/// hang-ups ignored, in both cases through <c>sh</c> with its input from /dev/null and its output appended to
/// <c>worker.out</c> in the queue folder (never a pipe the caller would have to drain); on Windows through the shell,
/// hidden, as a process of its own (killing a process on Windows never kills its children) holding none of the
/// caller's handles.
/// </summary>
public static class WorkerLauncher
{
    private const string Setsid = "/usr/bin/setsid";

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/> unless a worker runs already; false when one does.</summary>
    public static bool EnsureRunning(DownloadQueue queue, string program, IReadOnlyList<string> arguments)
    {
        if (queue.WorkerPid() != 0)
        {
            return false;
        }

        Directory.CreateDirectory(queue.Folder.Root);
        ProcessStartInfo info;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            // Through the shell: the worker inherits none of this process's handles, so a script whose output is
            // captured (a scheduled task's, a CI step's) is not held open by it. It inherits the environment, which
            // names the same queue folder.
            info = new ProcessStartInfo(program, Quote(arguments)) { UseShellExecute = true, WindowStyle = ProcessWindowStyle.Hidden };
        }
        else
        {
            info = ThroughShell(program, arguments);
            info.UseShellExecute = false;
            info.EnvironmentVariables[QueueFolder.Variable] = queue.Folder.Root;
            info.EnvironmentVariables["DOWNLOADER_WORKER_OUT"] = queue.Folder.WorkerOutput;
        }

        info.WorkingDirectory = queue.Folder.Root;
        using Process process = Process.Start(info)!;
        return true;
    }

    /// <summary>
    /// One command line from arguments, quoted the way both the Windows C runtime and .NET on Unix split it: a quote
    /// escaped by a backslash, backslashes doubled only before a quote.
    /// </summary>
    public static string Quote(IEnumerable<string> arguments) => string.Join(" ", arguments.Select(QuoteOne));

    private static ProcessStartInfo ThroughShell(string program, IReadOnlyList<string> arguments)
    {
        IEnumerable<string> command = new[] { program }.Concat(arguments);
        if (File.Exists(Setsid))
        {
            command = new[] { Setsid }.Concat(command);
        }

        // sh starts the worker in the background and ends: the worker is nobody's child but init's.
        const string script = "trap '' HUP; exec \"$@\" </dev/null >>\"$DOWNLOADER_WORKER_OUT\" 2>&1 &";
        return new ProcessStartInfo("/bin/sh", Quote(new[] { "-c", script, "sh" }.Concat(command)));
    }

    private static string QuoteOne(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\\', '\'' }) < 0)
        {
            return argument;
        }

        var sb = new StringBuilder("\"");
        int backslashes = 0;
        foreach (char c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            sb.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
            backslashes = 0;
            sb.Append(c);
        }

        return sb.Append('\\', backslashes * 2).Append('"').ToString();
    }
}
