using System.Diagnostics;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// The module folder exactly as users get it, laid out by the README's `dotnet publish src/Downloader.PowerShell`
/// into a folder of this test run (not the repository's out/, which the metadata tests use at the same time). Built
/// once per run, under a machine-wide mutex because both test projects publish the same project.
/// </summary>
public static class ModuleBuild
{
    public const string MutexName = "Downloader.ModulePublish";

    private static readonly Lazy<string> Folder = new(Build);

    /// <summary>The path of the built Downloader.psd1.</summary>
    public static string ManifestPath => Path.Combine(Folder.Value, "Downloader.psd1");

    public static string RepositoryRoot { get; } = FindRoot();

    private static string Build()
    {
        string target = Path.Combine(Path.GetTempPath(), "downloader-ps-tests", Guid.NewGuid().ToString("N"), "Downloader");
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (string arg in new[] { "publish", "src/Downloader.PowerShell", "-c", configuration, "-nologo", "-v", "q", "-p:ModuleDirectory=" + target + Path.DirectorySeparatorChar })
        {
            info.ArgumentList.Add(arg);
        }

        using var mutex = new Mutex(false, MutexName);
        mutex.WaitOne(TimeSpan.FromMinutes(5));
        try
        {
            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(300_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("Publishing the module took more than 5 minutes.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("Building the module folder failed:\n" + stdout.Result + stderr.Result);
            }
        }
        finally
        {
            mutex.ReleaseMutex();
        }

        return target;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Downloader.psd1")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with Downloader.psd1) was not found.");
    }
}
