using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>`downloader stream` when the download fails: while serving, and while starting.</summary>
[Collection(OriginCollection.Name)]
public sealed class StreamCliTests
{
    private readonly OriginServer _origin;

    public StreamCliTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task A_download_that_fails_while_serving_exits_1_with_the_cause()
    {
        using var dir = new TempDirectory();

        var (exit, stdout, stderr) = await CliRunner.RunAsync(dir.Path, "stream", _origin.Url($"vanishing/{TestData.Key()}").AbsoluteUri, "-x", "4");

        Assert.Equal(1, exit);
        Assert.StartsWith("http://127.0.0.1:", stdout);
        Assert.Contains("the download failed", stderr);
        Assert.Contains("404", stderr);
        Assert.DoesNotContain("Download complete", stderr);
    }

    [Fact]
    public async Task Zero_connections_is_a_usage_error_before_anything_is_fetched()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();

        var (exit, _, stderr) = await CliRunner.RunAsync(dir.Path, "stream", _origin.Url($"file/{key}").AbsoluteUri, "-x", "0");

        Assert.Equal(2, exit);
        Assert.Contains("--connections must be at least 1", stderr);
        Assert.Equal(0, _origin.Hits($"/file/{key}"));
    }

    [Fact]
    public async Task A_failed_start_leaves_no_transfer_running()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();

        // No length: nothing to stream; the download it began must not run on in the background.
        var (exit, _, stderr) = await CliRunner.RunAsync(dir.Path, "stream", _origin.Url($"nolength/{key}").AbsoluteUri);

        Assert.Equal(1, exit);
        Assert.Contains("does not say how large", stderr);
        await DownloadHarness.WaitUntilAsync(() => _origin.ActiveRequestsFor($"/nolength/{key}") == 0, 5_000);
    }

    [Fact]
    public async Task A_failed_start_in_the_engine_cancels_the_download_it_began()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        using var session = new Streaming.StreamSession(DownloadHarness.FastOptions());

        await Assert.ThrowsAsync<DownloadException>(() => session.StartAsync(
            new DownloadRequest(_origin.Url($"nolength/{key}")) { Directory = dir.Path }, System.Net.IPAddress.Loopback, 0, CancellationToken.None));

        Assert.True(session.Download!.Completion.IsCompleted, "the download still runs after a failed start");
        Assert.Equal(DownloadStatus.Cancelled, (await session.Download.Completion).Status);
    }

    [Fact]
    public void A_stream_gets_every_option_it_was_given()
    {
        var given = new DownloadOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(3),
            ResponseTimeout = TimeSpan.FromSeconds(4),
            MaxRetryDelay = TimeSpan.FromSeconds(5),
            MaxRedirects = 2,
            UserAgent = "Stream/1",
            CheckpointInterval = TimeSpan.FromSeconds(7),
            ComputeSha256 = true,
        };
        using var session = new Streaming.StreamSession(given);

        DownloadOptions used = session.Options;

        foreach (System.Reflection.PropertyInfo p in typeof(DownloadOptions).GetProperties())
        {
            if (p.Name is nameof(DownloadOptions.MinSplitSize) or nameof(DownloadOptions.MaxRequestSize) or nameof(DownloadOptions.SplitOnStart)
                or nameof(DownloadOptions.BufferSize) or "EqualityContract")
            {
                continue; // streaming's own
            }

            Assert.True(Equals(p.GetValue(given), p.GetValue(used)), $"{p.Name} was not passed to the stream's download");
        }
    }
}
