using System.IO.Compression;
using System.Net.Http;
using System.Text;

namespace Downloader.Core.Tests;

/// <summary>
/// Content-Encoding by the browsers' rule against the servers that send it: nginx's <c>gzip_static always</c> serves a
/// text file gzipped (decoded, as a browser saves it), Apache's <c>AddEncoding gzip .gz</c> labels a stored .tar.gz
/// (kept as served: the name says the content is itself compressed). Both through the real CLI.
/// </summary>
public sealed class RealServerEncodingTests
{
    private static readonly byte[] Text = Encoding.ASCII.GetBytes(string.Join("\n", Enumerable.Range(0, 600_000).Select(i => $"line {i}")));

    [SkippableFact]
    public async Task Nginx_gzip_static_always_text_is_saved_decoded_with_size_and_hash_of_the_decoded_bytes()
    {
        Skip.IfNot(RealWebServer.NginxAvailable, "needs nginx (.ci/run installs it)");
        var files = new Dictionary<string, byte[]> { ["big.txt"] = Text, ["big.txt.gz"] = Gzip(Text) };
        using var nginx = await RealWebServer.StartNginxAsync(files, "gzip_static always; gunzip off;");
        using var dir = new TempDirectory();
        string url = nginx.Url("big.txt").AbsoluteUri;

        var run = await CliRunner.RunAsync(dir.Path, url, "--json", "--checksum", "sha256:" + TestData.Sha256(Text));

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Equal("gzip", await EncodingOf(nginx.Url("big.txt")));
        Assert.Equal(TestData.Sha256(Text), TestData.Sha256OfFile(dir.File("big.txt")));
        Assert.Contains($"\"bytes\":{Text.Length},", run.Stdout);

        // A second run finds the decoded copy unchanged: its size is not compared with the encoded length.
        var again = await CliRunner.RunAsync(dir.Path, url);
        Assert.Contains("unchanged, skipped", again.Stderr);
        Assert.Equal(new[] { "big.txt" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [SkippableFact]
    public async Task Apache_addencoding_gzip_archive_is_saved_as_served()
    {
        Skip.IfNot(RealWebServer.ApacheAvailable, "needs apache2 (.ci/run installs it)");
        byte[] archive = Gzip(TestData.Bytes(3 * 1024 * 1024, 31));
        var files = new Dictionary<string, byte[]> { ["data.tar.gz"] = archive };
        using var apache = await RealWebServer.StartApacheAsync(files, "AddEncoding gzip .gz");
        using var dir = new TempDirectory();

        var run = await CliRunner.RunAsync(dir.Path, apache.Url("data.tar.gz").AbsoluteUri, "--json", "-x", "4", "--checksum", "sha256:" + TestData.Sha256(archive));

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Equal("gzip", await EncodingOf(apache.Url("data.tar.gz")));
        Assert.Equal(TestData.Sha256(archive), TestData.Sha256OfFile(dir.File("data.tar.gz")));
        Assert.Contains($"\"bytes\":{archive.Length},", run.Stdout);
    }

    /// <summary>What the server labels the body with, asked without Accept-Encoding, as the downloader asks.</summary>
    private static async Task<string> EncodingOf(Uri url)
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
        using HttpResponseMessage response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        return string.Join(",", response.Content.Headers.ContentEncoding);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
