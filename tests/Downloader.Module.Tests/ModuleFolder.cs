using System.Diagnostics;
using System.Threading;

namespace Downloader.Module.Tests;

/// <summary>
/// The module folder as users get it: out/Downloader, laid out by the same `dotnet publish` the README names. Built
/// once per test run.
/// </summary>
public sealed class ModuleFolder
{
    private static readonly Lazy<ModuleFolder> Instance = new(() => new ModuleFolder());

    private ModuleFolder()
    {
        RepositoryRoot = FindRoot();
        Path = System.IO.Path.Combine(RepositoryRoot, "out", "Downloader");
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent!.Name;
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (string arg in new[] { "publish", "src/Downloader.PowerShell", "-c", configuration, "-nologo", "-v", "q" })
        {
            info.ArgumentList.Add(arg);
        }

        // The PowerShell-engine tier publishes the same project at the same time: one publish at a time.
        using var mutex = new Mutex(false, "Downloader.ModulePublish");
        mutex.WaitOne(TimeSpan.FromMinutes(5));
        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit(300_000);
        mutex.ReleaseMutex();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("Building the module folder failed:\n" + output);
        }
    }

    public static ModuleFolder Get() => Instance.Value;

    public string RepositoryRoot { get; }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    private static string FindRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(d.FullName, "Downloader.psd1")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with Downloader.psd1) was not found.");
    }
}
