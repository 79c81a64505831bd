using System.Diagnostics;

namespace Downloader.Core.Tests;

/// <summary>Runs the real CLI as a child process, as a user or a script would.</summary>
public static class CliRunner
{
    /// <summary>The CLI in its own output folder, built with the same configuration as the tests.</summary>
    public static string CliPath { get; } = FindCli();

    /// <summary>How long a run may take before it counts as hung.</summary>
    public static TimeSpan Deadline { get; } = TimeSpan.FromSeconds(60);

    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] args)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CliPath);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(StartInfo(workingDirectory, args));

    /// <summary>Runs a prepared start (its environment changed, say) to the end, under a deadline.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo info)
    {
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A hang is a failure that says what ran and what it wrote, not a bare cancellation.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException(
                $"The CLI did not exit within {Deadline.TotalSeconds:0} s: {string.Join(' ', info.ArgumentList.Skip(1))}\n" +
                $"stdout: {await stdout}\nstderr: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindCli()
    {
        // tests/Downloader.Core.Tests/bin/<Configuration>/net10.0/ → src/Downloader.Cli/bin/<Configuration>/net10.0/
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = testBin.Name;
        string configuration = testBin.Parent!.Name;
        DirectoryInfo repo = testBin.Parent!.Parent!.Parent!.Parent!.Parent!;
        string path = Path.Combine(repo.FullName, "src", "Downloader.Cli", "bin", configuration, framework, "downloader.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The CLI was not built.", path);
    }
}
