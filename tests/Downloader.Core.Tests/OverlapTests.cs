using System.Net;
using Downloader.Core.Results;
using Downloader.Core.Streaming;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// Runs that overlap (two real CLI processes on one list), local copies that are damaged, duplicate entries in one
/// list, and streaming a file that is already complete: issue 27, each with real processes.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class OverlapTests
{
    private readonly OriginServer _origin;

    public OverlapTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Two_clis_on_one_list_both_succeed_and_every_file_is_whole_under_its_own_name()
    {
        using var dir = new TempDirectory();
        string k = TestData.Key();
        var files = new Dictionary<string, byte[]>();
        for (int i = 0; i < 120; i++)
        {
            files[$"{k}-s{i:000}.bin"] = TestData.Bytes(48 * 1024 + i, i);
        }

        for (int i = 0; i < 3; i++)
        {
            files[$"{k}-big{i}.bin"] = TestData.Bytes(6 * 1024 * 1024 + i, 1000 + i);
        }

        var lines = new List<string>();
        foreach ((string name, byte[] content) in files)
        {
            _origin.AddFile(name, content);
            lines.Add(_origin.Url($"named/{(content.Length > 1_000_000 ? 500_000 : 300_000)}/{name}").AbsoluteUri);
        }

        File.WriteAllLines(dir.File("list.txt"), lines);
        string output = Path.Combine(dir.Path, "out");

        // As a scheduled task overlapping its previous run: the same list, the same folder, at the same time.
        Task<(int ExitCode, string Stdout, string Stderr)> first = CliRunner.RunAsync(dir.Path, "-i", "list.txt", "-d", output);
        Task<(int ExitCode, string Stdout, string Stderr)> second = CliRunner.RunAsync(dir.Path, "-i", "list.txt", "-d", output);
        var a = await first;
        var b = await second;

        Assert.True(a.ExitCode == 0, "first run: " + a.Stderr);
        Assert.True(b.ExitCode == 0, "second run: " + b.Stderr);
        Assert.DoesNotContain("downloader:", a.Stderr + b.Stderr);
        Assert.Equal(files.Keys.Order(), Directory.GetFiles(output).Select(Path.GetFileName).Order());
        foreach ((string name, byte[] content) in files)
        {
            Assert.True(TestData.Sha256(content) == TestData.Sha256OfFile(Path.Combine(output, name)), $"'{name}' is not the served file");
        }

        // What one run left to the other is named, with the process that had it.
        foreach (string line in (a.Stderr + b.Stderr).Split('\n').Where(l => l.Contains("skipped", StringComparison.Ordinal) && !l.Contains("completed,", StringComparison.Ordinal)))
        {
            Assert.Matches(@"skipped, in progress in process \d+$", line.TrimEnd('\r'));
        }
    }

    [Fact]
    public async Task A_copy_cut_short_with_its_date_kept_is_downloaded_again_in_its_place()
    {
        using var dir = new TempDirectory();
        string name = TestData.Key() + ".bin";
        byte[] content = TestData.Bytes(2 * 1024 * 1024 + 7, 27);
        _origin.AddFile(name, content);
        string url = _origin.Url($"named/0/{name}").AbsoluteUri;
        string path = dir.File(name);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, url)).ExitCode);
        DateTime stamped = File.GetLastWriteTimeUtc(path);

        // wget -N's case: the size is wrong, the date is right (the server would answer 304 to "changed since?").
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(1000);
        }

        File.SetLastWriteTimeUtc(path, stamped);
        var repaired = await CliRunner.RunAsync(dir.Path, url);

        Assert.True(repaired.ExitCode == 0, repaired.Stderr);
        Assert.DoesNotContain("unchanged", repaired.Stderr);
        Assert.Equal(TestData.Sha256(content), TestData.Sha256OfFile(path));
        Assert.Equal(stamped, File.GetLastWriteTimeUtc(path));
        Assert.Equal(new[] { name }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));

        // A whole copy is still what it was: skipped.
        var again = await CliRunner.RunAsync(dir.Path, url);
        Assert.Contains("unchanged, skipped", again.Stderr);
    }

    [Fact]
    public async Task A_copy_of_the_right_size_and_date_but_the_wrong_hash_is_downloaded_again_in_its_place()
    {
        using var dir = new TempDirectory();
        string name = TestData.Key() + ".bin";
        byte[] content = TestData.Bytes(300_000, 28);
        _origin.AddFile(name, content);
        string line = $"{_origin.Url($"named/0/{name}").AbsoluteUri}\t\tsha256:{TestData.Sha256(content)}";
        File.WriteAllText(dir.File("list.txt"), line + "\n");
        string output = Path.Combine(dir.Path, "out");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "-i", "list.txt", "-d", output)).ExitCode);
        string path = Path.Combine(output, name);
        DateTime stamped = File.GetLastWriteTimeUtc(path);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.Position = 1234;
            stream.WriteByte(0xFF);
            stream.Position = 1235;
            stream.WriteByte(0x00);
        }

        File.SetLastWriteTimeUtc(path, stamped);
        var repaired = await CliRunner.RunAsync(dir.Path, "-i", "list.txt", "-d", output, "--json");

        Assert.True(repaired.ExitCode == 0, repaired.Stderr);
        Assert.Contains("\"status\":\"completed\"", repaired.Stdout);
        Assert.Equal(TestData.Sha256(content), TestData.Sha256OfFile(path));
        Assert.Equal(new[] { name }, Directory.GetFiles(output).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_same_url_twice_in_a_list_is_downloaded_once_and_each_duplicate_names_the_line_that_had_it()
    {
        using var dir = new TempDirectory();
        string k = TestData.Key();
        byte[] content = TestData.Bytes(200_000, 29);
        _origin.AddFile(k + "-a.bin", content);
        _origin.AddFile(k + "-b.bin", content);
        string a = _origin.Url($"named/0/{k}-a.bin").AbsoluteUri;
        string b = _origin.Url($"named/0/{k}-b.bin").AbsoluteUri;
        File.WriteAllLines(dir.File("list.txt"), new[] { a, b, a, "# a comment", a });
        string output = Path.Combine(dir.Path, "out");

        var run = await CliRunner.RunAsync(dir.Path, "-i", "list.txt", "-d", output);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(2, run.Stderr.Split('\n').Count(l => l.TrimEnd('\r') == $"{a}: skipped, duplicate of line 1"));
        Assert.Equal(new[] { k + "-a.bin", k + "-b.bin" }, Directory.GetFiles(output).Select(Path.GetFileName).Order());
        Assert.Equal(content.Length, _origin.BodyBytesSentFor($"named/0/{k}-a.bin"));
    }

    [SkippableFact]
    public async Task A_complete_file_is_streamed_at_once_and_ffprobe_plays_and_seeks_it_with_nothing_downloaded_again()
    {
        Skip.IfNot(MediaFiles.Available && MediaFiles.Has("ffprobe"), "needs ffmpeg and ffprobe");
        using var dir = new TempDirectory();
        string name = TestData.Key() + ".webm";
        _origin.AddFile(name, MediaFiles.WebM);
        Uri url = _origin.Url($"media/0/{name}");
        DownloadResult first = await DownloadHarness.DownloadAsync(url, dir.Path);
        Assert.Equal(DownloadStatus.Completed, first.Status);
        Assert.True(await _origin.QuietAsync($"media/0/{name}", TimeSpan.FromSeconds(30)), "the first download's responses never ended");
        long sentBefore = _origin.BodyBytesSentFor($"media/0/{name}");
        string logBefore = _origin.RequestLog($"/media/0/{name}");

        using var session = new StreamSession(new DownloadOptions { MaxConnectionsPerFile = 8, MinSplitSize = 64 * 1024 });
        Uri local = await session.StartAsync(new DownloadRequest(url) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None);

        Assert.True(MediaFiles.Run("ffprobe", out string probe, "-v", "error", "-show_entries", "format=duration:stream=codec_name", "-of", "csv=p=0", local.AbsoluteUri), probe);
        Assert.Contains("vp8", probe);
        // A seek: packets from the twentieth second on, read through a range request.
        Assert.True(MediaFiles.Run("ffprobe", out string packets, "-v", "error", "-read_intervals", "20%+#5", "-select_streams", "v", "-show_entries", "packet=pts_time", "-of", "csv=p=0", local.AbsoluteUri), packets);
        double firstPacket = double.Parse(packets.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(firstPacket, 15, MediaFiles.DurationSeconds);

        DownloadResult ended = await session.Download!.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(DownloadStatus.Skipped, ended.Status);
        Assert.Equal(StreamState.Serving, session.State);
        Assert.True(
            _origin.BodyBytesSentFor($"media/0/{name}") - sentBefore <= 1,
            $"the complete file was downloaded again; requests before the stream:\n{logBefore}\nall requests:\n{_origin.RequestLog($"/media/0/{name}")}");
    }
}
