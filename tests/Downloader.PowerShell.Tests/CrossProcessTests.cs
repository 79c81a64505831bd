using System.Diagnostics;
using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// The CLI (a real second process) and the module (hosted here) on one big file, in both orders: one of them writes
/// it, the other says which process has it, neither reports a failure, and the file is byte-exact.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class CrossProcessTests
{
    private const int Size = 24 * 1024 * 1024;
    private readonly OriginServer _origin;

    public CrossProcessTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task The_module_finds_the_cli_writing_the_file_and_names_its_process()
    {
        using var dir = new TempDirectory();
        (string name, byte[] content, string url) = Publish();

        // The engine and module loaded first, so the CLI is still writing when the module comes.
        using var ps = new PsSession();
        Assert.Empty(ps.Run("$null = Get-Command Start-Download").Errors);
        using Process cli = Process.Start(CliRunner.StartInfo(dir.Path, url, "-d", dir.Path))!;
        Task<string> cliErrors = cli.StandardError.ReadToEndAsync();
        _ = cli.StandardOutput.ReadToEndAsync();
        await WaitForWriterAsync(dir.File(name), cli);

        PsResult result = ps.Run("Start-Download $args[0] -Destination $args[1]", null, url, dir.File(name));

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal("Skipped", result.Property(0, "Status"));
        Assert.Equal($"in progress in process {cli.Id}", result.Property(0, "Reason"));
        Assert.Equal(dir.File(name), result.Property(0, "Path"));
        await ExitsCleanlyAsync(cli, cliErrors);
        AssertOneWholeFile(dir, name, content);
    }

    [Fact]
    public async Task The_cli_finds_the_module_writing_the_file_and_names_its_process()
    {
        using var dir = new TempDirectory();
        (string name, byte[] content, string url) = Publish();
        using var ps = new PsSession();
        PsResult started = ps.Run("$global:job = Start-Download $args[0] -Destination $args[1] -AsJob", null, url, dir.File(name));
        Assert.True(started.Errors.Count == 0 && started.Terminating == null, started.Describe());
        await WaitForWriterAsync(dir.File(name), null);

        var run = await CliRunner.RunAsync(dir.Path, url, "-d", dir.Path);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"{dir.File(name)}: in progress in process {Environment.ProcessId}, skipped", run.Stderr);
        PsResult received = ps.Run("Receive-Job $global:job -Wait -AutoRemoveJob", TimeSpan.FromSeconds(90));
        Assert.True(received.Errors.Count == 0 && received.Terminating == null, received.Describe());
        Assert.Equal("Completed", received.Property(0, "Status"));
        AssertOneWholeFile(dir, name, content);
    }

    private (string Name, byte[] Content, string Url) Publish()
    {
        string name = TestData.Key() + ".bin";
        byte[] content = TestData.Bytes(Size, Size);
        _origin.AddFile(name, content);

        // About 6 s over eight connections: the second process starts while the first is writing.
        return (name, content, _origin.Url($"named/500000/{name}").AbsoluteUri);
    }

    /// <summary>The first process is writing once its part file is there (or it ended, which fails the test).</summary>
    private static async Task WaitForWriterAsync(string path, Process? process)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path + ".part"))
        {
            Assert.False(process?.HasExited ?? false, "the CLI ended before it wrote the file");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no part file appeared");
            await Task.Delay(10);
        }
    }

    private static async Task ExitsCleanlyAsync(Process cli, Task<string> errors)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await cli.WaitForExitAsync(timeout.Token);
        string stderr = await errors;
        Assert.True(cli.ExitCode == 0, stderr);
        Assert.DoesNotContain("downloader:", stderr);
    }

    private static void AssertOneWholeFile(TempDirectory dir, string name, byte[] content)
    {
        Assert.Equal(new[] { name }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal(TestData.Sha256(content), TestData.Sha256OfFile(dir.File(name)));
    }
}
