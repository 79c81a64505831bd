using System.Diagnostics;
using System.Net;
using System.Net.Http;
using Downloader.Core.Streaming;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>The local stream server serves only the player it was started for: the token path, loopback names, no CORS.</summary>
[Collection(OriginCollection.Name)]
public sealed class StreamGuardTests
{
    private readonly OriginServer _origin;

    public StreamGuardTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Only_the_token_path_from_a_loopback_host_is_served_without_cors()
    {
        using var dir = new TempDirectory();
        byte[] content = TestData.Bytes(1024 * 1024 + 5, seed: 14);
        string name = TestData.Key() + ".mp4";
        _origin.AddFile(name, content);
        using var session = new StreamSession(new DownloadOptions());
        Uri local = await session.StartAsync(new DownloadRequest(_origin.Url($"media/4000000/{name}")) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None);
        using var http = new HttpClient();

        string[] segments = local.AbsolutePath.Trim('/').Split('/');
        Assert.Equal(2, segments.Length);
        Assert.Matches("^[0-9a-f]{32}$", segments[0]);
        Assert.Equal(name, segments[1]);

        using (var request = new HttpRequestMessage(HttpMethod.Get, local))
        {
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999);
            request.Headers.Add("Origin", "http://evil.example.com");
            using HttpResponseMessage ranged = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
            Assert.Equal(content.AsSpan(1000, 1000).ToArray(), await ranged.Content.ReadAsByteArrayAsync());
            Assert.False(ranged.Headers.Contains("Access-Control-Allow-Origin"));
        }

        using (HttpResponseMessage head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, local)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(content.Length, head.Content.Headers.ContentLength);
        }

        string otherToken = new string('0', 32);
        foreach (string path in new[] { "/", "/anything", "/" + name, $"/{otherToken}/{name}", $"/{segments[0]}/other.mp4", $"/{segments[0]}" })
        {
            using HttpResponseMessage wrong = await http.GetAsync(new Uri(local, path));
            Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
            Assert.Empty(await wrong.Content.ReadAsByteArrayAsync());
        }

        foreach (string host in new[] { $"localhost:{local.Port}", $"[::1]:{local.Port}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, local);
            request.Headers.Host = host;
            using HttpResponseMessage ok = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        foreach (string host in new[] { "evil.example.com", $"evil.example.com:{local.Port}", $"127.0.0.1:{local.Port + 1}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, local);
            request.Headers.Host = host;
            using HttpResponseMessage refused = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
            Assert.Empty(await refused.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Sigterm_ends_downloader_stream_within_a_second_keeping_the_part_and_state_files()
    {
        using var dir = new TempDirectory();
        byte[] content = TestData.Bytes(8 * 1024 * 1024, seed: 15);
        string name = TestData.Key() + ".mp4";
        _origin.AddFile(name, content);
        using Process process = Process.Start(CliRunner.StartInfo(dir.Path, "stream", _origin.Url($"media/500000/{name}").AbsoluteUri))!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string? url = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("http://127.0.0.1:", url);
        await DownloadHarness.WaitUntilAsync(() => File.Exists(dir.File(name + ".downloader")), 10_000);
        await AssertGuardedAsync(new Uri(url!), name);

        // A player is reading, waiting for bytes that arrive slowly, as when it is interrupted for real.
        using var player = new HttpClient();
        using HttpResponseMessage playing = await player.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        using Stream body = await playing.Content.ReadAsStreamAsync();
        _ = body.CopyToAsync(Stream.Null);
        await Task.Delay(500);

        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Kill(process.Id, "TERM"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        TimeSpan took = clock.Elapsed;

        Assert.True(took < TimeSpan.FromSeconds(1), $"SIGTERM took {took.TotalSeconds:0.00} s to end the stream; stderr: {await stderr}");
        Assert.Equal(130, process.ExitCode);
        Assert.Contains(name + ".part", dir.Files());
        Assert.Contains(name + ".downloader", dir.Files());
    }

    /// <summary>The running CLI's server: the token URL answers; a wrong token, the root, another path and a foreign Host do not.</summary>
    private static async Task AssertGuardedAsync(Uri local, string name)
    {
        using var http = new HttpClient();
        using (var request = new HttpRequestMessage(HttpMethod.Head, local))
        using (HttpResponseMessage head = await http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.False(head.Headers.Contains("Access-Control-Allow-Origin"));
        }

        foreach (string path in new[] { "/", "/" + name, $"/{new string('0', 32)}/{name}" })
        {
            using HttpResponseMessage wrong = await http.GetAsync(new Uri(local, path));
            Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        }

        using var foreign = new HttpRequestMessage(HttpMethod.Head, local);
        foreign.Headers.Host = "evil.example.com";
        using HttpResponseMessage refused = await http.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
    }

    private static int Kill(int pid, string signal)
    {
        using Process kill = Process.Start("kill", $"-{signal} {pid}")!;
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
