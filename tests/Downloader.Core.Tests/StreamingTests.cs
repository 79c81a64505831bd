using System.Diagnostics;
using System.Net;
using System.Net.Http;
using Downloader.Core.Results;
using Downloader.Core.Streaming;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// Watch while downloading, with real clients: ffprobe, ffmpeg and headless Chromium read from the local server while
/// the origin is still throttled. Each test runs where its tool is installed (.ci/run installs them).
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class StreamingTests
{
    // Per connection; eight connections take about six seconds over a 10 MB clip.
    private const int Rate = 200_000;
    private readonly OriginServer _origin;

    public StreamingTests(OriginServer origin)
    {
        _origin = origin;
    }

    [SkippableTheory]
    [InlineData("webm", "vp8")]
    [InlineData("mp4", "h264")]
    public async Task Ffprobe_reads_duration_and_codec_while_the_origin_is_still_throttled(string format, string codec)
    {
        Skip.IfNot(MediaFiles.Available && MediaFiles.Has("ffprobe"), "needs ffmpeg and ffprobe");
        using var dir = new TempDirectory();
        (byte[] content, Uri url) = Publish(format);
        using var session = NewSession();
        Uri local = await session.StartAsync(new DownloadRequest(url) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None);

        Assert.True(MediaFiles.Run("ffprobe", out string probe, "-v", "error", "-show_entries", "format=duration:stream=codec_name", "-of", "csv=p=0", local.AbsoluteUri), probe);
        long received = session.Download!.GetProgress().BytesReceived;

        Assert.Contains(codec, probe);
        double duration = double.Parse(probe.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(duration, MediaFiles.DurationSeconds - 0.5, MediaFiles.DurationSeconds + 0.5);
        Assert.True(received < content.Length, $"the download had already finished ({received} bytes): nothing was streamed");

        DownloadResult result = await session.Download.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(DownloadStatus.Completed, result.Status);
        Assert.Equal(TestData.Sha256(content), TestData.Sha256OfFile(result.Path!));
        await AssertFetchedOnceAsync(url, content.Length);
    }

    [SkippableTheory]
    [InlineData("webm")]
    [InlineData("mp4")]
    public async Task Ffmpeg_seeks_to_the_middle_and_decodes_a_frame(string format)
    {
        Skip.IfNot(MediaFiles.Available, "needs ffmpeg");
        using var dir = new TempDirectory();
        (byte[] content, Uri url) = Publish(format);
        using var session = NewSession();
        Uri local = await session.StartAsync(new DownloadRequest(url) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None);
        string frame = Path.Combine(dir.Path, "frame.png");

        bool decoded = MediaFiles.Run("ffmpeg", out string log, "-v", "error", "-y", "-ss", "20", "-i", local.AbsoluteUri, "-frames:v", "1", frame);
        long received = session.Download!.GetProgress().BytesReceived;

        Assert.True(decoded, log);
        Assert.True(new FileInfo(frame).Length > 1000);
        Assert.True(received < content.Length, "the download had already finished: nothing was streamed");
        DownloadResult result = await session.Download.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(TestData.Sha256(content), TestData.Sha256OfFile(result.Path!));

        // The seek moved the connections; what they had fetched was never fetched again.
        await AssertFetchedOnceAsync(url, content.Length);
    }

    [SkippableFact]
    public async Task Chromium_plays_a_video_element_and_a_seek_to_the_middle_plays()
    {
        Skip.IfNot(MediaFiles.Available && File.Exists("/usr/bin/chromium"), "needs ffmpeg and chromium");
        using var dir = new TempDirectory();
        (_, Uri url) = Publish("webm");
        using var session = NewSession();
        Uri local = await session.StartAsync(new DownloadRequest(url) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None);
        string key = TestData.Key();
        _origin.AddPage(key, $$"""
            <!doctype html><video id="v" src="{{local.AbsoluteUri}}" muted autoplay playsinline></video>
            <script>
              const v = document.getElementById('v');
              let seeked = false, reported = false;
              const report = q => { if (!reported) { reported = true; fetch('/report/{{key}}?' + q); } };
              v.addEventListener('timeupdate', () => {
                if (!seeked && v.currentTime > 1) { seeked = true; v.currentTime = v.duration / 2; }
                else if (seeked && v.currentTime > v.duration / 2 + 1) { report('ok=1&t=' + v.currentTime + '&d=' + v.duration); }
              });
              v.addEventListener('error', () => report('error=' + (v.error && v.error.code)));
              v.play().catch(e => report('playerror=' + e));
            </script>
            """);
        string profile = Path.Combine(dir.Path, "profile");
        var info = new ProcessStartInfo("/usr/bin/chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
            "--user-data-dir=" + profile, _origin.Url($"page/{key}").AbsoluteUri,
        })
        {
            info.ArgumentList.Add(arg);
        }

        using Process chromium = Process.Start(info)!;
        try
        {
            await DownloadHarness.WaitUntilAsync(() => _origin.Report(key) != null, 45_000);
        }
        finally
        {
            chromium.Kill(entireProcessTree: true);
        }

        string report = _origin.Report(key)!;
        Assert.Contains("ok=1", report);
    }

    [Fact]
    public async Task Local_server_speaks_HEAD_206_416_and_serves_concurrent_ranges()
    {
        using var dir = new TempDirectory();
        byte[] content = TestData.Bytes(2 * 1024 * 1024 + 17, seed: 9);
        string name = TestData.Key() + ".bin";
        _origin.AddFile(name, content);
        using var session = NewSession();
        Uri local = await session.StartAsync(new DownloadRequest(_origin.Url($"media/{Rate * 4}/{name}")) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None);
        using var http = new HttpClient();

        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, local)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(content.Length, head.Content.Headers.ContentLength);
            Assert.Contains("bytes", head.Headers.AcceptRanges);
        }

        using (var beyond = new HttpRequestMessage(HttpMethod.Get, local))
        {
            beyond.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(content.Length + 10, null);
            using var response = await http.SendAsync(beyond);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
            Assert.Equal(content.Length, response.Content.Headers.ContentRange!.Length);
        }

        long[] starts = { 0, 700_000, 1_500_000, content.Length - 1000 };
        await Task.WhenAll(starts.Select(async start =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, local);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(start, start + 999);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(start, response.Content.Headers.ContentRange!.From);
            Assert.Equal(content.AsSpan((int)start, 1000).ToArray(), await response.Content.ReadAsByteArrayAsync());
        }));

        using (var whole = await http.GetAsync(local))
        {
            Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync());
        }

        // Several ranges at once are not supported, and RFC 9110 says to answer with the whole file then.
        using (var several = new HttpRequestMessage(HttpMethod.Get, local))
        {
            several.Headers.TryAddWithoutValidation("Range", "bytes=0-9,20-29");
            using var response = await http.SendAsync(several);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(content.Length, (await response.Content.ReadAsByteArrayAsync()).Length);
        }
    }

    [Fact]
    public async Task Two_players_waiting_far_apart_are_both_served()
    {
        using var dir = new TempDirectory();
        byte[] content = TestData.Bytes(8 * 1024 * 1024, seed: 11);
        string name = TestData.Key() + ".bin";
        _origin.AddFile(name, content);
        using var session = NewSession();
        Uri local = await session.StartAsync(new DownloadRequest(_origin.Url($"media/{Rate}/{name}")) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None);
        using var http = new HttpClient();

        // Each waits for bytes nobody fetches yet; neither may take every connection away from the other for good.
        long[] starts = { 2_500_000, 6_000_000 };
        byte[][] got = await Task.WhenAll(starts.Select(async start =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, local);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(start, start + 299_999);
            using var response = await http.SendAsync(request);
            return await response.Content.ReadAsByteArrayAsync();
        })).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(content.AsSpan(2_500_000, 300_000).ToArray(), got[0]);
        Assert.Equal(content.AsSpan(6_000_000, 300_000).ToArray(), got[1]);
        session.Stop(discard: true);
    }

    [Theory]
    [InlineData("bytes=0-99", 1000, true, 0, 99)]
    [InlineData("bytes=900-", 1000, true, 900, 999)]
    [InlineData("bytes=-100", 1000, true, 900, 999)]
    [InlineData("bytes=500-5000", 1000, true, 500, 999)]
    [InlineData("bytes=1000-", 1000, false, 0, 0)]
    [InlineData("bytes=-0", 1000, false, 0, 0)]
    public void Ranges_are_parsed(string header, long length, bool ok, long start, long end)
    {
        Assert.Equal(ok, ByteRangeHeader.TryParseRange(header, length, out long s, out long e));
        if (ok)
        {
            Assert.Equal((start, end), (s, e));
        }
    }

    private static StreamSession NewSession() =>
        new(new DownloadOptions { MaxConnectionsPerFile = 8, MinSplitSize = 64 * 1024 }, pieceSize: 128 * 1024, edgeSize: 256 * 1024);

    // The file was fetched once: every byte was sent, and little was sent twice. A seek cuts connections short; the
    // bytes the origin had already pushed into the kernel's buffers for them were never read, so the engine asks for them
    // again. How much depends on how far the origin ran ahead of a loaded client, so a tenth of the file plus 64 KiB per
    // overlapping response is allowed (seen: up to 0.5 MiB of 10 MiB with both cores busy); a file fetched twice over is not.
    private async Task AssertFetchedOnceAsync(Uri url, long length)
    {
        Assert.True(await _origin.QuietAsync(url.AbsolutePath, TimeSpan.FromSeconds(30)), "the origin's responses never ended");
        var responses = _origin.ResponsesFor(url.AbsolutePath).Where(r => r.Sent > 0).OrderBy(r => r.Start).ToList();
        long sent = responses.Sum(r => r.Sent), covered = 0, end = 0;
        int overlapping = 0;
        foreach ((long start, long n) in responses)
        {
            overlapping += start < end ? 1 : 0;
            covered += Math.Max(0, start + n - Math.Max(start, end));
            end = Math.Max(end, start + n);
        }

        string log = _origin.RequestLog(url.AbsolutePath);
        Assert.True(covered == length, $"the origin sent {covered} distinct bytes of a file of {length}:\n{log}");
        long allowed = length / 10 + 64 * 1024 * overlapping;
        Assert.True(sent - covered <= allowed, $"{sent - covered} bytes were sent twice ({overlapping} responses overlap; {allowed} allowed):\n{log}");
    }

    private (byte[] Content, Uri Url) Publish(string format)
    {
        byte[] content = format == "webm" ? MediaFiles.WebM : MediaFiles.Mp4;
        string name = $"{TestData.Key()}.{format}";
        _origin.AddFile(name, content);
        return (content, _origin.Url($"media/{Rate}/{name}"));
    }
}
