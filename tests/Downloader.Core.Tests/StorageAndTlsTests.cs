using System.Diagnostics;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>Failures outside HTTP: an untrusted certificate, a destination that cannot be written, a full disk.</summary>
[Collection(OriginCollection.Name)]
public sealed class StorageAndTlsTests
{
    private readonly OriginServer _origin;

    public StorageAndTlsTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Untrusted_certificate_fails_fast_unless_checks_are_skipped()
    {
        await using var tls = new TlsOrigin(_origin.Content);
        using var dir = new TempDirectory();
        string key = TestData.Key();
        Uri url = new(tls.BaseUri, $"file/{key}");

        DownloadResult refused = await DownloadHarness.DownloadAsync(url, dir.Path);
        Assert.Equal(DownloadErrorKind.Tls, refused.ErrorKind);
        Assert.Equal(0, refused.Retries);
        Assert.Contains(url.AbsoluteUri, refused.Error);
        Assert.Empty(dir.Files());

        var insecure = new DownloadOptions { SkipCertificateCheck = true, MinSplitSize = 256 * 1024 };
        DownloadResult accepted = await DownloadHarness.DownloadAsync(url, dir.Path, insecure);
        MisbehavingServerTests.AssertCompleted(accepted, dir, key, _origin.Content);
    }

    [Fact]
    public async Task Destination_that_cannot_be_created_fails_clearly()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("blocker"), "a file where a folder should be");
        string target = Path.Combine(dir.File("blocker"), "sub");

        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"file/{TestData.Key()}"), target);

        Assert.Equal(DownloadErrorKind.Storage, result.ErrorKind);
        Assert.Contains("blocker", result.Error);
        Assert.Equal(new[] { "blocker" }, dir.Files());
    }

    [SkippableFact]
    public async Task Full_disk_fails_clearly_and_the_download_resumes_once_there_is_room()
    {
        using var dir = new TempDirectory();
        Skip.IfNot(Mount(dir.Path), "needs root to mount a small tmpfs");
        try
        {
            string key = TestData.Key();
            // Slow enough that the file cannot finish between the first recorded bytes and the full disk.
            Uri url = _origin.Url($"slow/250000/{key}");
            DownloadResult failed;
            using (var client = new DownloadClient(DownloadHarness.FastOptions()))
            {
                FileDownload download = client.Start(new DownloadRequest(url) { Directory = dir.Path });
                await DownloadHarness.WaitUntilAsync(() => Resume.ResumeStateFile.TryLoad(dir.File(key) + ".downloader")?.Completed.TotalLength > 300_000);
                Fill(dir.File("filler"));
                failed = await download.Completion.WaitAsync(TimeSpan.FromSeconds(30));
            }

            Assert.Equal(DownloadStatus.Failed, failed.Status);
            Assert.Equal(DownloadErrorKind.Storage, failed.ErrorKind);
            Assert.Contains("space", failed.Error, StringComparison.OrdinalIgnoreCase);
            Assert.False(File.Exists(dir.File(key)));

            Assert.True(File.Exists(dir.File(key) + ".downloader"));
            File.Delete(dir.File("filler"));
            DownloadResult resumed = await DownloadHarness.DownloadAsync(url, dir.Path);
            MisbehavingServerTests.AssertCompleted(resumed, dir, key, _origin.Content);
            Assert.True(resumed.Resumed);
        }
        finally
        {
            Run("umount", dir.Path);
        }
    }

    private static bool Mount(string path) =>
        OperatingSystem.IsLinux() && Environment.UserName == "root" && Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", path);

    private static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.Create);
        var block = new byte[4096];
        try
        {
            for (int i = 0; i < 4096; i++)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
        }
    }

    private static bool Run(string file, params string[] args)
    {
        try
        {
            using Process process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit(10_000);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
