using System.Diagnostics;
using System.Xml;
using System.Xml.Linq;
using Downloader.Core.Service;

namespace Downloader.Core.Tests.Queue;

/// <summary>
/// The OS triggers' definitions as the engine writes them: the systemd user unit passes `systemd-analyze verify`, the
/// Task Scheduler XML holds the documented elements, the launchd plist is a valid property list (plutil where it
/// exists, else a parse). The worker command they start has quotes, a backslash, a dollar and a percent in it, as real
/// paths may.
/// </summary>
public sealed class ServiceDefinitionTests
{
    private static readonly string[] Arguments =
    {
        "-NoProfile", "-NonInteractive", "-Command", "$env:DOWNLOADER_QUEUE_DIR = '/home/u/it''s 100%/queue'; Import-Module \"/opt/m \\ x/Downloader.psd1\"; exit [Downloader.PowerShell.Queue.WorkerHost]::Run()",
    };

    [SkippableFact]
    public async Task The_systemd_unit_passes_systemd_analyze_verify()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "systemd is Linux's");
        using var dir = new TempDirectory();
        string unit = dir.File(SystemdUnit.FileName);
        File.WriteAllText(unit, SystemdUnit.Build("/bin/sh", Arguments));

        var info = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "verify", "--man=no", unit })
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"systemd-analyze verify: {stderr}{await stdout}\n{File.ReadAllText(unit)}");
        Assert.DoesNotContain(SystemdUnit.FileName, stderr);
        string text = File.ReadAllText(unit);
        // systemd's own splitting of ExecStart (C escapes in quotes, $$ and %% for a literal $ and %) gives the
        // arguments back as they were.
        Assert.Contains(
            "ExecStart=\"/bin/sh\" \"-NoProfile\" \"-NonInteractive\" \"-Command\" \"$$env:DOWNLOADER_QUEUE_DIR = '/home/u/it''s 100%%/queue'; "
            + "Import-Module \\\"/opt/m \\\\ x/Downloader.psd1\\\"; exit [Downloader.PowerShell.Queue.WorkerHost]::Run()\"\n",
            text);
        Assert.Contains("WantedBy=default.target", text);
    }

    [Fact]
    public void The_task_scheduler_xml_holds_the_documented_elements()
    {
        XNamespace ns = "http://schemas.microsoft.com/windows/2004/02/mit/task";
        string xml = TaskSchedulerXml.Build(@"C:\Program Files\PowerShell\7\pwsh.exe", "-NoProfile -Command \"x & y\"", @"CONTOSO\alice", @"C:\Users\alice\AppData\Local\Downloader\queue");

        var doc = XDocument.Parse(xml);

        Assert.Equal("UTF-16", doc.Declaration!.Encoding, ignoreCase: true);
        XElement task = doc.Root!;
        Assert.Equal(ns + "Task", task.Name);
        Assert.Equal("1.2", task.Attribute("version")!.Value);
        Assert.Equal(@"\Downloader\Queue", task.Element(ns + "RegistrationInfo")!.Element(ns + "URI")!.Value);
        XElement triggers = task.Element(ns + "Triggers")!;
        Assert.Equal(@"CONTOSO\alice", triggers.Element(ns + "LogonTrigger")!.Element(ns + "UserId")!.Value);
        Assert.Equal("true", triggers.Element(ns + "BootTrigger")!.Element(ns + "Enabled")!.Value);
        XElement principal = task.Element(ns + "Principals")!.Element(ns + "Principal")!;
        Assert.Equal("S4U", principal.Element(ns + "LogonType")!.Value);
        Assert.Equal("LeastPrivilege", principal.Element(ns + "RunLevel")!.Value);
        Assert.Equal("IgnoreNew", task.Element(ns + "Settings")!.Element(ns + "MultipleInstancesPolicy")!.Value);
        Assert.Equal("PT0S", task.Element(ns + "Settings")!.Element(ns + "ExecutionTimeLimit")!.Value);
        XElement exec = task.Element(ns + "Actions")!.Element(ns + "Exec")!;
        Assert.Equal(@"C:\Program Files\PowerShell\7\pwsh.exe", exec.Element(ns + "Command")!.Value);
        Assert.Equal("-NoProfile -Command \"x & y\"", exec.Element(ns + "Arguments")!.Value);
    }

    [Fact]
    public void The_task_a_standard_user_may_always_register_starts_at_logon_in_the_users_session()
    {
        XNamespace ns = "http://schemas.microsoft.com/windows/2004/02/mit/task";
        string xml = TaskSchedulerXml.Build(@"C:\pwsh.exe", "-NoProfile", @"CONTOSO\alice", @"C:\queue", atStartup: false);

        XElement task = XDocument.Parse(xml).Root!;
        XElement triggers = task.Element(ns + "Triggers")!;
        Assert.Equal(@"CONTOSO\alice", triggers.Element(ns + "LogonTrigger")!.Element(ns + "UserId")!.Value);
        Assert.Null(triggers.Element(ns + "BootTrigger"));
        Assert.Equal("InteractiveToken", task.Element(ns + "Principals")!.Element(ns + "Principal")!.Element(ns + "LogonType")!.Value);
    }

    [Fact]
    public async Task The_launchd_plist_is_a_valid_property_list()
    {
        using var dir = new TempDirectory();
        string path = dir.File(LaunchdPlist.Label + ".plist");
        File.WriteAllText(path, LaunchdPlist.Build("/usr/local/bin/pwsh", Arguments, "/Users/u/Library/Application Support/Downloader/queue/worker.out"));

        if (FindOnPath("plutil") is string plutil)
        {
            var run = Process.Start(new ProcessStartInfo(plutil, $"-lint \"{path}\"") { RedirectStandardOutput = true })!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await run.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, run.ExitCode);
        }

        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, XmlResolver = null });
        var doc = XDocument.Load(reader);
        Assert.Equal("plist", doc.Root!.Name.LocalName);
        Assert.Equal("plist", doc.DocumentType!.Name);
        Assert.Equal("-//Apple//DTD PLIST 1.0//EN", doc.DocumentType.PublicId);
        var dict = doc.Root.Element("dict")!.Elements().ToList();
        XElement Value(string key) => dict[dict.FindIndex(e => e.Name == "key" && e.Value == key) + 1];
        Assert.Equal(LaunchdPlist.Label, Value("Label").Value);
        Assert.Equal(new[] { "/usr/local/bin/pwsh" }.Concat(Arguments), Value("ProgramArguments").Elements("string").Select(e => e.Value));
        Assert.Equal("true", Value("RunAtLoad").Name.LocalName);
        Assert.Equal("false", Value("KeepAlive").Elements().ElementAt(1).Name.LocalName);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
