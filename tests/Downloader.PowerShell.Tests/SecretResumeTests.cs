using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// A state file keeps no token, so Resume-Download -Path needs it again: without it the 401 says so, with it the
/// download finishes from the bytes on disk.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class SecretResumeTests
{
    private readonly OriginServer _origin;

    public SecretResumeTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void Resume_Download_Path_says_a_token_is_needed_again_and_finishes_with_it()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run("""
            $token = [Net.NetworkCredential]::new('', $args[3]).SecurePassword
            $job = Start-Download $args[0] -Destination $args[1] -Authentication Bearer -Token $token -AllowUnencryptedAuthentication -AsJob
            # Stopped once it has bytes to resume from (Stop-Job returns after their last checkpoint), bounded; the
            # origin's 300 KB/s per response keeps the 3 MB file from finishing first on a loaded machine.
            for ($i = 0; $i -lt 600 -and -not ((Get-Download -Id $job.Id).BytesReceived -gt 500000); $i++) { [Threading.Thread]::Sleep(50) }
            Stop-Job $job
            Remove-Job $job
            [IO.File]::ReadAllText($args[2] + '.downloader')
            Resume-Download -Path $args[2] -AllowUnencryptedAuthentication -ErrorAction SilentlyContinue -ErrorVariable refused
            $refused | ForEach-Object { 'refused: ' + $_ }
            Resume-Download -Path $args[2] -Authentication Bearer -Token $token -AllowUnencryptedAuthentication
            """, TimeSpan.FromSeconds(60), _origin.Url($"bearer/{key}").AbsoluteUri, dir.Path, dir.File(key), OriginServer.BearerToken);

        Assert.Null(result.Terminating);
        string state = Assert.IsType<string>(result.Values[0]);
        Assert.DoesNotContain(OriginServer.BearerToken, state);
        string refused = Assert.IsType<string>(result.Values[1]);
        Assert.Contains("HTTP 401", refused);
        Assert.Contains("a state file keeps none, so give them again", refused);
        Assert.Contains("-Token", refused);
        Assert.Equal(true, result.Property(2, "Resumed"));
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
        Assert.DoesNotContain(OriginServer.BearerToken, result.Describe() + string.Join("\n", result.Values) + string.Join("\n", result.Progress.Select(p => p.StatusDescription + p.Activity + p.CurrentOperation)));
    }
}
