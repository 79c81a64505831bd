using System.Diagnostics;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// Cookies in the CLI against a real Kestrel origin: -b reads a Netscape cookie file, a Set-Cookie from a sign-in URL
/// applies to the list's later requests, and -c writes the jar (owner-only) without the value ever shown.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class CookieCliTests
{
    private readonly OriginServer _origin;

    public CookieCliTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Cookie_file_in_netscape_format_is_sent_by_its_domain_rules()
    {
        using var dir = new TempDirectory();
        using var files = new TempDirectory();
        string key = TestData.Key();
        string jar = files.File("cookies.txt");
        File.WriteAllText(jar, $"# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\t{OriginServer.SessionCookie}\nexample.org\tFALSE\t/\tFALSE\t0\tother\tx\n");
        string url = _origin.Url($"needs-cookie/{key}").AbsoluteUri;

        var without = await CliRunner.RunAsync(dir.Path, url);
        var with = await CliRunner.RunAsync(dir.Path, url, "-b", jar, "--json");

        Assert.Equal(1, without.ExitCode);
        Assert.True(with.ExitCode == 0, with.Stderr);
        Assert.DoesNotContain(OriginServer.SessionCookie, with.Stdout + with.Stderr);
        Assert.Equal(new[] { key }, dir.Files());
    }

    [Fact]
    public async Task A_cookie_set_by_a_sign_in_url_applies_to_the_later_lines_of_a_list_and_lands_in_the_jar()
    {
        using var dir = new TempDirectory();
        using var files = new TempDirectory();
        string signIn = TestData.Key();
        string file = TestData.Key();
        string jar = files.File("jar.txt");
        ProcessStartInfo info = CliRunner.StartInfo(dir.Path, "-i", "-", "-c", jar, "--json");
        info.RedirectStandardInput = true;

        // The list arrives on stdin: the second line is written once the sign-in's result is out, so its request is
        // "later" by the batch's own report, not by timing.
        using Process process = Process.Start(info)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.StandardInput.WriteLineAsync(_origin.Url($"sign-in/{signIn}").AbsoluteUri);
        await process.StandardInput.FlushAsync();
        string? first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        await process.StandardInput.WriteLineAsync(_origin.Url($"needs-cookie/{file}").AbsoluteUri);
        process.StandardInput.Close();
        string rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Contains("sign-in", first);
        Assert.DoesNotContain(OriginServer.SessionCookie, first + rest + await stderr);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(file)));
        string written = File.ReadAllText(jar);
        Assert.Contains($"#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\t{OriginServer.SessionCookie}", written);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(jar));
        }
    }
}
