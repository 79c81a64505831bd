using System.Diagnostics;
using System.Text.Json;
using Downloader.Core.Tests;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// A queue of the test's own (DOWNLOADER_QUEUE_DIR in a temporary folder) and the real processes that use it: pwsh
/// (the repository's tool) with the built module, the CLI, and the queue worker as the OS triggers start it. The
/// queue's files are read as any program would: entries/ID.json and the worker's lock file.
/// </summary>
internal sealed class QueueLab : IDisposable
{
    private readonly List<Process> _started = new();

    public QueueLab()
    {
        QueueDir = Dir.File("queue");
        Downloads = Directory.CreateDirectory(Dir.File("files")).FullName;
    }

    public TempDirectory Dir { get; } = new();

    public string QueueDir { get; }

    public string Downloads { get; }

    /// <summary>The command the OS triggers start (Register-DownloadService writes it): pwsh with the module's worker.</summary>
    public string WorkerCommand =>
        $"$env:DOWNLOADER_QUEUE_DIR = '{QueueDir}'; Import-Module '{ModuleBuild.ManifestPath}'; exit [Downloader.PowerShell.Queue.WorkerHost]::Run()";

    public ProcessStartInfo Pwsh(string command)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = ModuleBuild.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-Command", command })
        {
            info.ArgumentList.Add(arg);
        }

        return WithQueue(info);
    }

    /// <summary>A pwsh with the module imported runs <paramref name="script"/> to its end, under a deadline.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> RunPwshAsync(string script) =>
        CliRunner.RunAsync(Pwsh($"Import-Module '{ModuleBuild.ManifestPath}'; {script}"));

    public Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] args) => CliRunner.RunAsync(Cli(args));

    public ProcessStartInfo Cli(params string[] args) => WithQueue(CliRunner.StartInfo(Downloads, args));

    /// <summary>Starts a process the test ends (if still running) when disposed.</summary>
    public Process Start(ProcessStartInfo info)
    {
        Process process = Process.Start(info)!;
        _started.Add(process);
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>The entry's file as JSON; null while it is not there.</summary>
    public JsonElement? Entry(int id)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(Path.Combine(QueueDir, "entries", id + ".json"))).RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public long Bytes(int id) => Entry(id)?.GetProperty("bytesReceived").GetInt64() ?? 0;

    public string? State(int id) => Entry(id)?.GetProperty("state").GetString();

    /// <summary>The live worker's process id from its lock file; 0 when none runs.</summary>
    public int WorkerPid()
    {
        try
        {
            string[] lines = ReadLockFile(Path.Combine(QueueDir, "worker.downloader.lock")).Split('\n');
            int pid = int.Parse(lines[0]);
            using Process process = Process.GetProcessById(pid);
            return process.HasExited ? 0 : pid;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentException or InvalidOperationException)
        {
            return 0;
        }
    }

    /// <summary>Waits, looking every 50 ms, for <paramref name="condition"/>; fails naming <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"Not within {seconds} s: {what}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        int worker = WorkerPid();
        if (worker != 0)
        {
            using Process process = Process.GetProcessById(worker);
            process.Kill();
            process.WaitForExit(10_000);
        }

        foreach (Process process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        Dir.Dispose();
    }

    /// <summary>
    /// The lock file's text, as any process reads it: on Unix with plain open/read, since a .NET open asks for a
    /// shared flock, which the worker's exclusive one refuses.
    /// </summary>
    private static string ReadLockFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new StreamReader(stream).ReadToEnd();
        }

        int fd = open(path, 0);
        if (fd < 0)
        {
            throw new IOException("no lock file");
        }

        try
        {
            var buffer = new byte[4096];
            int n = (int)read(fd, buffer, buffer.Length);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, Math.Max(0, n));
        }
        finally
        {
            close(fd);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
#pragma warning disable SA1300, IDE1006 // the C names
    private static extern int open(string path, int flags);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint count);

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int close(int fd);
#pragma warning restore SA1300, IDE1006

    private ProcessStartInfo WithQueue(ProcessStartInfo info)
    {
        info.Environment["DOWNLOADER_QUEUE_DIR"] = QueueDir;
        info.Environment["XDG_CONFIG_HOME"] = Dir.File("config");
        return info;
    }
}
