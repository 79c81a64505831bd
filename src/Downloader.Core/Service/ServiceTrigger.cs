using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Downloader.Core.Queue;

namespace Downloader.Core.Service;

/// <summary>
/// The per-user OS trigger that starts the queue worker, for this OS: a systemd user unit (Linux), a launchd agent
/// (macOS) or a Task Scheduler task (Windows). Its definition is written to <see cref="DefinitionPath"/> and then
/// registered with the OS's own tool (<see cref="InstallCommands"/>); no admin rights are needed on any of them.
/// </summary>
public sealed class ServiceTrigger
{
    private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
    private static readonly bool IsMac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

    public ServiceTrigger(QueueFolder folder)
    {
        Folder = folder;
    }

    public QueueFolder Folder { get; }

    /// <summary>What is installed, as a user would look for it.</summary>
    public string Kind => IsWindows ? $"Task Scheduler task {TaskSchedulerXml.TaskName}" : IsMac ? $"launchd agent {LaunchdPlist.Label}" : $"systemd user unit {SystemdUnit.FileName}";

    /// <summary>
    /// Where the definition goes: the unit in the user's systemd folder, the plist in ~/Library/LaunchAgents, or (on
    /// Windows, where the task lives in Task Scheduler) the XML it was registered from, kept in the queue folder.
    /// </summary>
    public string DefinitionPath
    {
        get
        {
            if (IsWindows)
            {
                return Path.Combine(Folder.Root, "downloader-queue.xml");
            }

            string home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (IsMac)
            {
                return Path.Combine(home, "Library", "LaunchAgents", LaunchdPlist.Label + ".plist");
            }

            string config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".config");
            return Path.Combine(config, "systemd", "user", SystemdUnit.FileName);
        }
    }

    /// <summary>Whether the definition is in place (registered by <c>Register-DownloadService</c>).</summary>
    public bool IsInstalled => File.Exists(DefinitionPath);

    /// <summary>Windows only: a definition at logon only can follow one the OS refused (see <see cref="TaskSchedulerXml"/>).</summary>
    public bool HasLogonOnlyFallback => IsWindows;

    /// <summary>
    /// The definition for this OS, starting <paramref name="program"/> with <paramref name="arguments"/>; with
    /// <paramref name="atStartup"/> false (Windows), the task a standard user may always register: at logon only.
    /// </summary>
    public string Definition(string program, IReadOnlyList<string> arguments, bool atStartup = true) =>
        IsWindows ? TaskSchedulerXml.Build(program, WorkerLauncher.Quote(arguments), Environment.UserDomainName + "\\" + Environment.UserName, Folder.Root, atStartup)
        : IsMac ? LaunchdPlist.Build(program, arguments, Folder.WorkerOutput)
        : SystemdUnit.Build(program, arguments);

    /// <summary>Writes the definition (UTF-16 for schtasks, UTF-8 elsewhere).</summary>
    public void Write(string definition)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DefinitionPath)!);
        File.WriteAllText(DefinitionPath, definition, IsWindows ? Encoding.Unicode : new UTF8Encoding(false));
    }

    /// <summary>The commands that register the written definition with the OS, each program then its arguments.</summary>
    public IReadOnlyList<string[]> InstallCommands() =>
        IsWindows ? new[] { new[] { "schtasks.exe", "/Create", "/TN", TaskSchedulerXml.TaskName, "/XML", DefinitionPath, "/F" } }
        : IsMac ? new[] { new[] { "launchctl", "bootstrap", "gui/" + UserId(), DefinitionPath } }
        : new[] { new[] { "systemctl", "--user", "daemon-reload" }, new[] { "systemctl", "--user", "enable", SystemdUnit.FileName } };

    /// <summary>The commands that take the trigger out of the OS, before the definition is removed.</summary>
    public IReadOnlyList<string[]> UninstallCommands() =>
        IsWindows ? new[] { new[] { "schtasks.exe", "/Delete", "/TN", TaskSchedulerXml.TaskName, "/F" } }
        : IsMac ? new[] { new[] { "launchctl", "bootout", "gui/" + UserId(), DefinitionPath } }
        : new[] { new[] { "systemctl", "--user", "disable", SystemdUnit.FileName } };

    private static string UserId() => Storage.NativeMethods.getuid().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
